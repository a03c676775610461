/**
 * How an agent's reported version stands against the version the hub hands
 * out: `unknown` where either is missing or not x.y.z (such an agent is never
 * called older on a guess).
 */
export type AgentVersionStanding = 'older' | 'current' | 'newer' | 'unknown';

const VERSION = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface Parsed {
  parts: [number, number, number];
  prerelease: boolean;
}

function parse(version: string | null | undefined): Parsed | null {
  const match = version ? VERSION.exec(version.trim()) : null;
  if (!match) return null;
  return { parts: [Number(match[1]), Number(match[2]), Number(match[3])], prerelease: match[4] !== undefined };
}

/** Compares x.y.z; a pre-release (1.2.0-rc.1) counts as older than its release, and two pre-releases of one x.y.z as equal. */
export function compareAgentVersion(reported: string | null | undefined, released: string | null | undefined): AgentVersionStanding {
  const agent = parse(reported);
  const hub = parse(released);
  if (!agent || !hub) return 'unknown';
  for (let i = 0; i < 3; i += 1) {
    const a = agent.parts[i]!;
    const b = hub.parts[i]!;
    if (a !== b) return a < b ? 'older' : 'newer';
  }
  if (agent.prerelease === hub.prerelease) return 'current';
  return agent.prerelease ? 'older' : 'newer';
}
