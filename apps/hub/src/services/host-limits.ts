/** Caps on what agents may make the hub hold, from the hub's config. */
export interface HostLimits {
  /** Host ids the hub registers at most. */
  maxHosts: number;
}

export const DEFAULT_MAX_HOSTS = 20_000;
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

export const HOST_LIMITS = Symbol('HostLimits');
