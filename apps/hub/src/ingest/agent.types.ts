/** Who an authenticated agent socket speaks for, set by the handshake check. */
export interface AgentIdentity {
  hostId: string;
  intervalMs: number;
  /** The version the agent named in its handshake; left out when it named none. */
  agentVersion?: string;
}

/** What admitted an agent socket, checked again before each of its messages. */
export interface AgentAdmission {
  /** The issued token it presented; null for the shared agent token. */
  tokenId: string | null;
  /** SHA-256 (hex) of the host key it presented; null when it sent none. */
  keyHash: string | null;
}

/** `socket.data` of an agent socket. */
export interface AgentSocketData {
  agent: AgentIdentity;
  admission: AgentAdmission;
}
