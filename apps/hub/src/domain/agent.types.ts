/** Who an authenticated agent socket speaks for, set by the handshake check. */
export interface AgentIdentity {
  hostId: string;
  intervalMs: number;
}

/** `socket.data` of an agent socket. */
export interface AgentSocketData {
  agent: AgentIdentity;
}
