import type { Ack } from './ack.schema';
import type { HostFacts } from './facts.schema';
import type { EncodedSnapshot } from './snapshot.encoding';
import type { Snapshot } from './snapshot.schema';

export type AckCallback = (ack: Ack) => void;

/** Events an agent emits on the agent namespace; every one is acknowledged. */
export interface AgentToHubEvents {
  facts: (facts: HostFacts, ack: AckCallback) => void;
  /** The snapshot encoded (encodeSnapshot); a hub also takes the plain object. */
  snapshot: (snapshot: EncodedSnapshot | Snapshot, ack: AckCallback) => void;
}

/** The hub sends agents nothing unprompted yet; the map exists so both ends stay typed. */
export type HubToAgentEvents = Record<string, never>;

/** `data` of the Error a refused handshake carries (socket.io `connect_error`). */
export interface HandshakeErrorData {
  code: 'UNAUTHORIZED' | 'INVALID_HANDSHAKE' | 'UNSUPPORTED_PROTOCOL' | 'HOST_CLAIMED' | 'HOST_LIMIT' | 'RATE_LIMITED';
}
