import { compareAgentVersion } from '../install/agent-version';
import { formatText } from './units.format';

/** How a host's agent stands against the version this hub hands out, as the pages mark it. */
export interface AgentVersionView {
  /** Shown under the host's name in the list; empty where there is nothing to mark. */
  mark: string;
  /** Whether the agent is older than the hub's release, and worth an upgrade. */
  older: boolean;
  /** The host page's "Agent version" value. */
  detail: string;
}

/** The version the agent reports: the handshake's is the running agent's, the facts' what it said when it last sent them. */
export function reportedAgentVersion(host: { agentVersion: string | null; facts: { agentVersion: string } | null }): string | null {
  return host.agentVersion ?? host.facts?.agentVersion ?? null;
}

/**
 * Marks an agent older than `released` (the hub's artifact version; null
 * where it has no release, and then nothing is marked). An agent whose
 * version is missing or not x.y.z is shown as unknown, never as older.
 */
export function presentAgentVersion(reported: string | null, released: string | null): AgentVersionView {
  if (released === null) return { mark: '', older: false, detail: formatText(reported) };
  const standing = compareAgentVersion(reported, released);
  if (standing === 'older') {
    return { mark: `agent ${reported}, older than ${released}`, older: true, detail: `${reported} (older than ${released}, which this hub hands out)` };
  }
  if (standing === 'unknown') {
    return { mark: 'agent version unknown', older: false, detail: reported?.trim() ? `${reported} (not a version this hub can compare)` : 'unknown' };
  }
  return { mark: '', older: false, detail: formatText(reported) };
}
