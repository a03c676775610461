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

/** Why the hub is closing an agent's connection, sent just before it closes it. */
export interface ClosingNotice {
  code: 'REPLACED';
  /** The hub's own words. */
  message: string;
}

/** Events the hub sends an agent unprompted; none expects an ack. */
export interface HubToAgentEvents {
  closing: (notice: ClosingNotice) => void;
}

/** `data` of the Error a refused handshake carries (socket.io `connect_error`). */
export interface HandshakeErrorData {
  code: 'UNAUTHORIZED' | 'INVALID_HANDSHAKE' | 'UNSUPPORTED_PROTOCOL' | 'HOST_CLAIMED' | 'HOST_LIMIT' | 'RATE_LIMITED';
}
