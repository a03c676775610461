import { z } from 'zod';
import { LIMITS } from './limits';
import { bytes, bytesPerSecond, celsius, count, epochMs, hostIdSchema, percent, text } from './primitives.schema';

// Every field a machine may lack (no battery, no sensors, a rate on the first
// sample) is `null`, never a made-up zero, so consumers can say "not available".

export const cpuMetricsSchema = z
  .object({
    usagePercent: percent.nullable(),
    perCorePercent: z.array(percent).max(LIMITS.cpuCores),
    /** Load average over 1/5/15 minutes; null on systems without one (Windows). */
    load: z.object({ one: z.number().nonnegative(), five: z.number().nonnegative(), fifteen: z.number().nonnegative() }).strict().nullable(),
  })
  .strict();

export const memoryMetricsSchema = z
  .object({
    totalBytes: bytes,
    usedBytes: bytes,
    availableBytes: bytes,
    freeBytes: bytes,
    swapTotalBytes: bytes,
    swapUsedBytes: bytes,
    usedPercent: percent,
  })
  .strict();

export const batteryMetricsSchema = z
  .object({
    present: z.boolean(),
    percent: percent.nullable(),
    charging: z.boolean().nullable(),
    acConnected: z.boolean().nullable(),
    timeRemainingMinutes: z.number().nonnegative().nullable(),
  })
  .strict();

export const networkInterfaceSchema = z
  .object({
    name: text(LIMITS.shortText).min(1),
    up: z.boolean(),
    /** Link speed in Mbit/s; null where the link does not report one (virtual, wireless on some drivers). */
    speedMbps: z.number().nonnegative().nullable(),
    mac: text(LIMITS.shortText).nullable(),
    ipv4: z.array(text(LIMITS.shortText)).max(LIMITS.addressesPerInterface),
    ipv6: z.array(text(LIMITS.shortText)).max(LIMITS.addressesPerInterface),
    internal: z.boolean(),
    rxBytesPerSec: bytesPerSecond,
    txBytesPerSec: bytesPerSecond,
    rxBytesTotal: bytes.nullable(),
    txBytesTotal: bytes.nullable(),
  })
  .strict();

export const filesystemSchema = z
  .object({
    mount: text(LIMITS.longText).min(1),
    fsType: text(LIMITS.shortText),
    device: text(LIMITS.longText),
    sizeBytes: bytes,
    usedBytes: bytes,
    availableBytes: bytes,
    usedPercent: percent,
  })
  .strict();

export const diskIoSchema = z.object({ readBytesPerSec: bytesPerSecond, writeBytesPerSec: bytesPerSecond }).strict();

export const temperatureMetricsSchema = z
  .object({
    cpuMainC: celsius.nullable(),
    cpuMaxC: celsius.nullable(),
    perCoreC: z.array(celsius).max(LIMITS.cpuCores),
  })
  .strict();

export const processInfoSchema = z
  .object({
    pid: count,
    name: text(LIMITS.text),
    command: text(LIMITS.commandText),
    user: text(LIMITS.shortText).nullable(),
    /** Share of one core, so a busy multi-threaded process can exceed 100. */
    cpuPercent: z
      .number()
      .nonnegative()
      .max(100 * LIMITS.cpuCores),
    memPercent: percent,
    rssBytes: bytes,
  })
  .strict();

export const processMetricsSchema = z
  .object({
    total: count,
    running: count,
    blocked: count,
    top: z.array(processInfoSchema).max(LIMITS.topProcesses),
  })
  .strict();

/** The dynamic metrics an agent samples every interval. */
export const metricsSchema = z
  .object({
    uptimeSeconds: z.number().nonnegative(),
    cpu: cpuMetricsSchema,
    memory: memoryMetricsSchema,
    battery: batteryMetricsSchema,
    network: z.array(networkInterfaceSchema).max(LIMITS.interfaces),
    filesystems: z.array(filesystemSchema).max(LIMITS.filesystems),
    diskIo: diskIoSchema,
    temperatures: temperatureMetricsSchema,
    processes: processMetricsSchema,
  })
  .strict();

/** The `snapshot` message: one sample of one host. `seq` increases by one per sample of that host. */
export const snapshotSchema = z
  .object({
    hostId: hostIdSchema,
    seq: count,
    ts: epochMs,
    ...metricsSchema.shape,
  })
  .strict();

export type CpuMetrics = z.infer<typeof cpuMetricsSchema>;
export type MemoryMetrics = z.infer<typeof memoryMetricsSchema>;
export type BatteryMetrics = z.infer<typeof batteryMetricsSchema>;
export type NetworkInterface = z.infer<typeof networkInterfaceSchema>;
export type Filesystem = z.infer<typeof filesystemSchema>;
export type DiskIo = z.infer<typeof diskIoSchema>;
export type TemperatureMetrics = z.infer<typeof temperatureMetricsSchema>;
export type ProcessInfo = z.infer<typeof processInfoSchema>;
export type ProcessMetrics = z.infer<typeof processMetricsSchema>;
export type Metrics = z.infer<typeof metricsSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;
