/** Exit codes a supervisor (systemd, a container runtime) can act on. */
export const EXIT_CODES = {
  ok: 0,
  /** The agent failed while running, e.g. it could not read this machine's facts. */
  failure: 1,
  /** A flag, variable or config file value is invalid: restarting will not help. */
  badConfig: 2,
  /**
   * The hub refused the handshake (token, host id, protocol version) or the name the agent reached it under (HTTP 421),
   * another live agent with this host's key replaced this one, or the hub's certificate is not trusted: restarting will not help.
   */
  refused: 3,
} as const;
