import type { Filesystem, Snapshot } from '@hostwatch/protocol';
import type { HostRecord } from '../hosts/host.types';

/**
 * What the host list shows of a host's latest snapshot. The store keeps it
 * beside the packed snapshot, so that listing a thousand hosts parses none
 * of their snapshots.
 */
export interface LatestSummary {
  seq: number;
  ts: number;
  uptimeSeconds: number;
  cpuPercent: number | null;
  memoryPercent: number;
  /** The filesystem closest to full; null when the host reports none. */
  disk: { mount: string; usedPercent: number } | null;
}

export function summariseLatest(snapshot: Snapshot): LatestSummary {
  const disk = fullestFilesystem(snapshot.filesystems);
  return {
    seq: snapshot.seq,
    ts: snapshot.ts,
    uptimeSeconds: snapshot.uptimeSeconds,
    cpuPercent: snapshot.cpu.usagePercent,
    memoryPercent: snapshot.memory.usedPercent,
    disk: disk ? { mount: disk.mount, usedPercent: disk.usedPercent } : null,
  };
}

/** A host read whole, as a store that keeps snapshots whole gives it without its snapshot (HostMeta). */
export function withoutSnapshot<T extends HostRecord>({ latest, ...rest }: T): Omit<T, 'latest'> & { latestSummary: LatestSummary | null } {
  return { ...rest, latestSummary: latest ? summariseLatest(latest) : null };
}

/** The filesystem closest to full, since that is the one that needs attention; "/" wins a tie. */
export function fullestFilesystem(filesystems: readonly Filesystem[]): Filesystem | null {
  let fullest: Filesystem | null = null;
  for (const fs of filesystems) {
    if (fullest === null || fs.usedPercent > fullest.usedPercent || (fs.usedPercent === fullest.usedPercent && fs.mount === '/' && fullest.mount !== '/')) {
      fullest = fs;
    }
  }
  return fullest;
}
