/** Caps on what agents may make the hub hold, from the hub's config. */
export interface HostLimits {
  /** Host ids the hub registers at most. */
  maxHosts: number;
}

export const DEFAULT_MAX_HOSTS = 20_000;
/**
 * What the budget of latest snapshots allows per host of maxHosts, unless
 * set: several times a usual snapshot's room (its compact JSON and a
 * quarter more), so that hosts with many processes, disks and interfaces fit.
 */
export const DEFAULT_LATEST_KIB_PER_HOST = 16;
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

export const HOST_LIMITS = Symbol('HostLimits');

/** Bytes the hosts' latest snapshots may hold together: the setting, or DEFAULT_LATEST_KIB_PER_HOST per host of maxHosts. */
export function latestBudgetBytes(settings: { maxHosts?: number; latestMemoryMb?: number | null }): number {
  if (settings.latestMemoryMb != null) return settings.latestMemoryMb * 1024 * 1024;
  return (settings.maxHosts ?? DEFAULT_MAX_HOSTS) * DEFAULT_LATEST_KIB_PER_HOST * 1024;
}
