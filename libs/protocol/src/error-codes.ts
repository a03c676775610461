/**
 * The closed set of error codes. Handshake refusals arrive as socket.io
 * `connect_error` with `data.code`; message refusals arrive in the ack.
 */
export const ERROR_CODES = [
  /** The token is missing or wrong. Retrying with the same token cannot succeed. */
  'UNAUTHORIZED',
  /** The handshake `auth` payload does not match the schema. */
  'INVALID_HANDSHAKE',
  /** The hub does not speak the agent's protocol version. */
  'UNSUPPORTED_PROTOCOL',
  /** A message does not match its schema; the message names the first bad paths. */
  'INVALID_MESSAGE',
  /** A snapshot names another host than the one that authenticated the socket. */
  'HOST_MISMATCH',
  /**
   * The agent sends faster than the hub accepts, or its address holds too many
   * connections already (then at the handshake). Not final: the agent sends or
   * connects again later, with backoff.
   */
  'RATE_LIMITED',
  /** The host id is bound to another agent's host key. Retrying with the same key cannot succeed. */
  'HOST_CLAIMED',
  /**
   * Sent in a `closing` event: a newer connection for the same host id, with
   * the same host key, replaced this one, which the hub then closes. Final
   * for the replaced agent: reconnecting would only take the host back from
   * the other, live one.
   */
  'REPLACED',
  /** The hub watches as many hosts as it is allowed to; a new host is refused until one is forgotten. */
  'HOST_LIMIT',
  /**
   * The hub's budget for its hosts' latest snapshots is full and this
   * snapshot would need more room. Not final: the agent keeps the snapshot
   * and sends it again later.
   */
  'MEMORY_LIMIT',
  /** The hub failed to store the message; the agent should retry it later. */
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The longest message an error ack may carry. */
export const MAX_ERROR_MESSAGE_LENGTH = 2048;
