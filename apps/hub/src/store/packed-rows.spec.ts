import { expect } from 'chai';
import type { HistoryRow } from './sqlite-history.repository';
import { HistoryRowsPacker, transferablesOf, unpackRows } from './packed-rows';

function row(hostId: string, seq: number, points: HistoryRow['points'], latest: HistoryRow['latest'] = null): HistoryRow {
  return { hostId, seq, ts: 1_700_000_000_000 + seq * 5000, points, latest };
}

const LATEST: HistoryRow['latest'] = {
  stored: '{"hostId":"web-01","seq":2}',
  summary: { seq: 2, ts: 1_700_000_010_000, uptimeSeconds: 60, cpuPercent: 3, memoryPercent: 40, disk: null },
  lastSeen: 1_700_000_010_100,
  intervalMs: 5000,
};

describe('HistoryRowsPacker', () => {
  it('should hand the other thread back exactly the rows it was given, in order, with their registry latest', () => {
    const rows = [
      row('web-01', 1, [
        { name: 'cpu', unit: '%', value: 12.5 },
        { name: 'net.rx:eth0', unit: 'bytes/s', value: 1_048_576 },
      ]),
      row('db-01', 7, []),
      row(
        'web-01',
        2,
        [
          { name: 'net.rx:eth0', unit: 'bytes/s', value: 0 },
          { name: 'temp.cpu', unit: '°C', value: -3.25 },
        ],
        LATEST,
      ),
    ];
    const sut = new HistoryRowsPacker();

    for (const one of rows) sut.add(one);

    expect(sut.rowCount).to.equal(3);
    expect(unpackRows(sut.pack())).to.deep.equal(rows);
  });

  it('should copy a deflated latest out of the read it is a view of, and move the copy with the numbers', () => {
    const read = Buffer.from('xx-deflated-yy');
    const deflated = read.subarray(3, 11);
    const sut = new HistoryRowsPacker();

    sut.add(row('web-01', 2, [], { ...LATEST!, stored: deflated }));
    const packed = sut.pack();

    const stored = packed.latest[0]?.stored as Uint8Array;
    expect(Buffer.from(stored).toString()).to.equal('deflated');
    expect(stored.buffer.byteLength).to.equal(deflated.byteLength);
    read.fill(0);
    expect(Buffer.from(stored).toString()).to.equal('deflated');
    expect(transferablesOf(packed)).to.have.ordered.members([packed.numbers.buffer, stored.buffer]);
  });

  it('should name each series once per batch however many rows carry it', () => {
    const sut = new HistoryRowsPacker();

    for (let seq = 1; seq <= 50; seq += 1)
      sut.add(
        row(`host-${seq}`, seq, [
          { name: 'cpu', unit: '%', value: seq },
          { name: 'memory.used', unit: 'bytes', value: seq * 1e9 },
        ]),
      );

    const packed = sut.pack();
    expect(packed.names).to.deep.equal(['cpu', 'memory.used']);
    expect(packed.units).to.deep.equal(['%', 'bytes']);
    expect(packed.hostIds).to.have.length(50);
  });

  it('should grow past its first buffer and pack the numbers into a buffer of their own', () => {
    const sut = new HistoryRowsPacker();
    const points = Array.from({ length: 40 }, (_, i) => ({ name: `cpu.core:${i}`, unit: '%' as const, value: i / 3 }));
    const rows = Array.from({ length: 300 }, (_, i) => row(`host-${i}`, i, points));

    for (const one of rows) sut.add(one);

    const packed = sut.pack();
    expect(packed.numbers.length).to.equal(300 * (3 + 2 * 40));
    expect(packed.numbers.buffer.byteLength).to.equal(packed.numbers.byteLength);
    expect(unpackRows(packed)).to.deep.equal(rows);
  });
});
