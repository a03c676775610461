import type { DiskIo } from '@hostwatch/protocol';
import type { Systeminformation } from 'systeminformation';
import type { SystemSource } from '../source/system.source';
import { RateMeter } from '../util/rate-meter.util';
import { wholeOrNull } from '../util/sanitize.util';

export type DiskIoSource = Pick<SystemSource, 'fsStats'>;

/**
 * Bytes read and written per second across all disks. `fsStats` counts bytes;
 * `disksIO` counts operations, which is not what the protocol carries.
 */
export class DiskIoProbe {
  private readonly meter = new RateMeter();

  constructor(
    private readonly source: DiskIoSource,
    private readonly now: () => number,
  ) {}

  async sample(): Promise<DiskIo> {
    // Windows and some containers have no counters: the call resolves null or fails.
    const stats: Systeminformation.FsStatsData | null = await this.source.fsStats().catch(() => null);
    const rates = this.meter.measure(
      this.now(),
      new Map([
        ['read', wholeOrNull(stats?.rx)],
        ['write', wholeOrNull(stats?.wx)],
      ]),
    );
    return { readBytesPerSec: rates.get('read') ?? null, writeBytesPerSec: rates.get('write') ?? null };
  }
}
