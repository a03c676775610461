/** Announced to the hub in the handshake; kept equal to package.json by a test. */
export const AGENT_VERSION = '0.1.0';
