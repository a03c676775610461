import { validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { PackedSnapshot } from './packed-snapshot';

describe('PackedSnapshot', () => {
  it('should give back the snapshot last written, a new copy on every read', () => {
    const sut = new PackedSnapshot(validSnapshot({ seq: 1 }));
    const second = validSnapshot({ seq: 2, uptimeSeconds: 601 });

    sut.write(second);
    const read = sut.read();
    read.cpu.usagePercent = 99;

    expect(read).to.not.equal(second);
    expect(sut.read()).to.deep.equal(second);
  });

  it('should keep the text the snapshot was parsed from, when given, rather than write it again', () => {
    const snapshot = validSnapshot();
    const received = JSON.stringify({ ...snapshot, uptimeSeconds: 601 }, null, 2);

    expect(new PackedSnapshot(snapshot, received).read()).to.deep.equal({ ...snapshot, uptimeSeconds: 601 });
  });

  it('should keep text outside ASCII and control characters as they were', () => {
    const snapshot = validSnapshot();
    snapshot.processes.top[0]!.name = 'nœud "𝄞" \u0007 <b>';

    expect(new PackedSnapshot(snapshot).read()).to.deep.equal(snapshot);
  });

  it('should reuse its buffer for a snapshot that fits, grow for one that does not, and shrink after a far smaller one', () => {
    const small = validSnapshot();
    const sut = new PackedSnapshot(small);
    const first = sut.capacity;
    expect(first).to.be.at.least(JSON.stringify(small).length);

    sut.write(validSnapshot({ seq: 2 }));
    expect(sut.capacity).to.equal(first);

    const large = validSnapshot({ seq: 3 });
    large.processes.top = Array.from({ length: 100 }, (_, pid) => ({ ...small.processes.top[0]!, pid, name: `worker-${pid}` }));
    sut.write(large);
    expect(sut.capacity).to.be.above(first);
    expect(sut.read()).to.deep.equal(large);

    sut.write(small);
    expect(sut.capacity).to.equal(first);
    expect(sut.read()).to.deep.equal(small);
  });
});
