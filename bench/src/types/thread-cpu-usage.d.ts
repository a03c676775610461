// The package ships no types: its one export, as its README documents it.
declare module 'thread-cpu-usage' {
  /** The calling thread's CPU time in microseconds, like process.cpuUsage(); less `previous` when given. */
  export function threadCpuUsage(previous?: NodeJS.CpuUsage): NodeJS.CpuUsage;
}
