/**
 * The protocol version an agent announces in its handshake. The hub accepts
 * exactly the versions it lists in SUPPORTED_PROTOCOL_VERSIONS; any change
 * that an older peer could misread (a field removed, renamed, or given a new
 * meaning or unit) raises this number. Adding an optional field does not.
 */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

/** socket.io namespace that agents connect to. */
export const AGENT_NAMESPACE = '/agent';
