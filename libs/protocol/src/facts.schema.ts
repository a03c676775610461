import { z } from 'zod';
import { LIMITS } from './limits';
import { bytes, count, epochMs, text } from './primitives.schema';

/** What rarely changes on a host: collected once at agent start and sent after every connect. */
export const hostFactsSchema = z
  .object({
    hostname: text(LIMITS.text).min(1),
    os: z
      .object({
        platform: text(LIMITS.shortText),
        distro: text(LIMITS.text),
        release: text(LIMITS.shortText),
        codename: text(LIMITS.shortText),
        kernel: text(LIMITS.text),
        arch: text(LIMITS.shortText),
      })
      .strict(),
    cpu: z
      .object({
        manufacturer: text(LIMITS.shortText),
        brand: text(LIMITS.text),
        logicalCores: count.min(1).max(LIMITS.cpuCores),
        physicalCores: count.max(LIMITS.cpuCores),
        /** Base clock in GHz; null where the machine does not say. */
        speedGHz: z.number().positive().max(100).nullable(),
      })
      .strict(),
    memoryTotalBytes: bytes,
    bootTime: epochMs,
    agentVersion: text(LIMITS.shortText),
  })
  .strict();

export type HostFacts = z.infer<typeof hostFactsSchema>;
