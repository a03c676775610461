import { LIMITS, isHostId } from '@hostwatch/protocol/light';

/**
 * Bends a machine id or host name into the host id alphabet: host ids end up
 * in URLs and file names, host names may hold anything.
 */
export function toHostId(raw: string): string | null {
  const bent = raw
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, LIMITS.hostIdLength);
  return isHostId(bent) ? bent : null;
}

export interface HostIdSources {
  machineId: () => Promise<string | null>;
  hostname: () => string;
}

/**
 * The configured id, else the OS machine id (stable across restarts and
 * renames), else the host name, so that a restarted agent is the same host.
 */
export async function resolveHostId(configured: string | null, sources: HostIdSources): Promise<string> {
  if (configured !== null) return configured;
  let machineId: string | null = null;
  try {
    machineId = await sources.machineId();
  } catch {
    // Falls back to the host name below.
  }
  return (machineId !== null ? toHostId(machineId) : null) ?? toHostId(sources.hostname()) ?? 'localhost';
}
