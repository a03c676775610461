import * as path from 'node:path';

/** The agent package whose release the hub serves; named only here, and only to find its folder. */
const AGENT_PACKAGE = '@hostwatch/agent';

/** The injection token of the agent's release directory (string), or null where the agent package is not installed. */
export const AGENT_RELEASE_DIR = Symbol('AgentReleaseDir');

/**
 * `dist/release/` of the agent package, found at run time as single-host
 * mode finds the agent: the hub neither imports nor builds against it.
 * Whether it holds a built release is known only when it is read.
 */
export function defaultAgentReleaseDir(): string | null {
  try {
    return path.join(path.dirname(require.resolve(`${AGENT_PACKAGE}/package.json`)), 'dist', 'release');
  } catch {
    return null;
  }
}
