import type { Snapshot } from '@hostwatch/protocol';
import { validSnapshot } from '@hostwatch/protocol/testing';

/** A realistic snapshot of the protocol fixtures with this host's id and jittered values, valid by construction. */
export function jitteredSnapshot(hostId: string, seq: number, ts: number, random: () => number = Math.random): Snapshot {
  const snapshot = validSnapshot({ hostId, seq, ts, uptimeSeconds: 600 + seq * 10 });
  const pct = () => Math.round(random() * 1000) / 10;
  snapshot.cpu.usagePercent = pct();
  snapshot.cpu.perCorePercent = snapshot.cpu.perCorePercent.map(pct);
  snapshot.cpu.load = { one: random() * 2, five: random() * 1.5, fifteen: random() };
  const total = snapshot.memory.totalBytes;
  const used = Math.floor(total * (0.2 + random() * 0.6));
  snapshot.memory.usedBytes = used;
  snapshot.memory.availableBytes = total - used;
  snapshot.memory.freeBytes = Math.floor((total - used) / 2);
  snapshot.memory.usedPercent = Math.round((used / total) * 1000) / 10;
  for (const nic of snapshot.network) {
    nic.rxBytesPerSec = Math.floor(random() * 1e6);
    nic.txBytesPerSec = Math.floor(random() * 1e6);
    nic.rxBytesTotal = (nic.rxBytesTotal ?? 0) + seq * 10_000;
    nic.txBytesTotal = (nic.txBytesTotal ?? 0) + seq * 10_000;
  }
  snapshot.diskIo = { readBytesPerSec: Math.floor(random() * 1e7), writeBytesPerSec: Math.floor(random() * 1e7) };
  for (const process of snapshot.processes.top) process.cpuPercent = pct();
  return snapshot;
}
