import { validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { compactJson, PackedSnapshot } from './packed-snapshot';

describe('PackedSnapshot', () => {
  it('should give back the snapshot last written, a new copy on every read', () => {
    const sut = new PackedSnapshot(compactJson(validSnapshot({ seq: 1 })));
    const second = validSnapshot({ seq: 2, uptimeSeconds: 601 });

    sut.write(compactJson(second));
    const read = sut.read();
    read.cpu.usagePercent = 99;

    expect(read).to.not.equal(second);
    expect(sut.read()).to.deep.equal(second);
  });

  it('should keep text outside ASCII and control characters as they were', () => {
    const snapshot = validSnapshot();
    snapshot.processes.top[0]!.name = 'nœud "𝄞" \u0007 <b>';

    expect(new PackedSnapshot(compactJson(snapshot)).read()).to.deep.equal(snapshot);
  });

  it('should reuse its buffer for a snapshot that fits, grow for one that does not, and shrink after a far smaller one', () => {
    const small = validSnapshot();
    const sut = new PackedSnapshot(compactJson(small));
    const first = sut.capacity;
    expect(first).to.be.at.least(JSON.stringify(small).length);

    sut.write(compactJson(validSnapshot({ seq: 2 })));
    expect(sut.capacity).to.equal(first);

    const large = validSnapshot({ seq: 3 });
    large.processes.top = Array.from({ length: 100 }, (_, pid) => ({ ...small.processes.top[0]!, pid, name: `worker-${pid}` }));
    sut.write(compactJson(large));
    expect(sut.capacity).to.be.above(first);
    expect(sut.read()).to.deep.equal(large);

    sut.write(compactJson(small));
    expect(sut.capacity).to.equal(first);
    expect(sut.read()).to.deep.equal(small);
  });

  it('should say beforehand what a write will hold', () => {
    const sut = new PackedSnapshot(compactJson(validSnapshot()));
    const large = validSnapshot({ seq: 2 });
    large.processes.top = Array.from({ length: 100 }, (_, pid) => ({ ...large.processes.top[0]!, pid, name: `worker-${pid}` }));
    const json = compactJson(large);

    const predicted = PackedSnapshot.capacityAfter(sut.capacity, Buffer.byteLength(json));
    sut.write(json);

    expect(sut.capacity).to.equal(predicted);
  });
});

describe('compactJson', () => {
  it('should write a snapshot without the whitespace of the text it was parsed from', () => {
    const snapshot = validSnapshot();
    const padded = JSON.stringify(snapshot, null, 2).replace('{', `{${' '.repeat(500_000)}`);

    const sut = compactJson(JSON.parse(padded));

    expect(sut).to.equal(JSON.stringify(snapshot));
    expect(sut.length).to.be.below(padded.length / 100);
  });
});
