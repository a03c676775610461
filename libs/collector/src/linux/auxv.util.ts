import { endianness } from 'node:os';

/** Entries of the ELF auxiliary vector that the kernel hands every process at start. */
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

const ARCHES_64: ReadonlySet<string> = new Set(['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'mips64']);

export interface KernelUnits {
  /** Bytes per memory page: /proc/<pid>/stat counts resident memory in pages. */
  pageSize: number;
  /** Clock ticks per second (USER_HZ): /proc/<pid>/stat counts CPU time and start time in ticks. */
  clockTicks: number;
}

/** What nearly every Linux machine uses; the fallback where /proc/self/auxv cannot be read. */
export const USUAL_KERNEL_UNITS: Readonly<KernelUnits> = { pageSize: 4096, clockTicks: 100 };

/**
 * Page size and clock ticks from /proc/self/auxv, which is what sysconf(3)
 * answers from: `getconf PAGESIZE` would cost a process. The vector is pairs
 * of native words (type, value), ended by type 0.
 */
export function parseAuxv(data: Buffer, arch: string = process.arch, littleEndian = endianness() === 'LE'): KernelUnits {
  const word = ARCHES_64.has(arch) ? 8 : 4;
  const read = (at: number): number => {
    if (word === 8) return Number(littleEndian ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at));
    return littleEndian ? data.readUInt32LE(at) : data.readUInt32BE(at);
  };
  const units = { ...USUAL_KERNEL_UNITS };
  for (let at = 0; at + 2 * word <= data.length; at += 2 * word) {
    const type = read(at);
    if (type === 0) break;
    const value = read(at + word);
    if (type === AT_PAGESZ && value > 0) units.pageSize = value;
    if (type === AT_CLKTCK && value > 0) units.clockTicks = value;
  }
  return units;
}
