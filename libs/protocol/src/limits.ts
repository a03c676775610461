/**
 * Size limits of the wire contract. They bound what a hostile or broken agent
 * can make the hub store, render or hold in memory.
 */
export const LIMITS = {
  hostIdLength: 64,
  tokenLength: 256,
  /** A host key shorter than this could be guessed; the reference agent sends 43 characters (32 random bytes). */
  hostKeyMinLength: 16,
  shortText: 64,
  text: 256,
  longText: 512,
  commandText: 1024,
  cpuCores: 1024,
  interfaces: 256,
  addressesPerInterface: 32,
  filesystems: 128,
  topProcesses: 50,
  /** socket.io's maxHttpBufferSize on the hub: a full snapshot at every limit stays below it. */
  maxMessageBytes: 512 * 1024,
} as const;
