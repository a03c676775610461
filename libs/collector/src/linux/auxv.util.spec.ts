import { expect } from 'chai';
import { parseAuxv, USUAL_KERNEL_UNITS } from './auxv.util';

function auxv(pairs: Array<[number, number]>, word: 4 | 8, littleEndian: boolean): Buffer {
  const data = Buffer.alloc((pairs.length + 1) * 2 * word);
  [...pairs, [0, 0] as [number, number]].forEach(([type, value], i) => {
    const write = (n: number, at: number) => {
      if (word === 8) littleEndian ? data.writeBigUInt64LE(BigInt(n), at) : data.writeBigUInt64BE(BigInt(n), at);
      else littleEndian ? data.writeUInt32LE(n, at) : data.writeUInt32BE(n, at);
    };
    write(type, i * 2 * word);
    write(value, i * 2 * word + word);
  });
  return data;
}

describe(parseAuxv.name, () => {
  it('should read the page size and clock ticks of a 64-bit little-endian vector', () => {
    expect(
      parseAuxv(
        auxv(
          [
            [33, 0x7fff],
            [6, 16_384],
            [17, 250],
          ],
          8,
          true,
        ),
        'arm64',
        true,
      ),
    ).to.deep.equal({ pageSize: 16_384, clockTicks: 250 });
  });

  it('should read a 32-bit big-endian vector', () => {
    expect(
      parseAuxv(
        auxv(
          [
            [6, 65_536],
            [17, 100],
          ],
          4,
          false,
        ),
        'ppc',
        false,
      ),
    ).to.deep.equal({ pageSize: 65_536, clockTicks: 100 });
  });

  it('should keep the usual units for entries that are missing or zero, and stop at the end marker', () => {
    const data = Buffer.concat([auxv([[6, 0]], 8, true), auxv([[17, 1]], 8, true)]);
    expect(parseAuxv(data, 'x64', true)).to.deep.equal(USUAL_KERNEL_UNITS);
  });
});
