import * as path from 'node:path';
import { agentPackageDir } from '../core/agent-package';

/** The injection token of the agent's release directory (string), or null where the agent package is not installed. */
export const AGENT_RELEASE_DIR = Symbol('AgentReleaseDir');

/**
 * `dist/release/` of the agent package, found at run time as single-host
 * mode finds the agent: the hub neither imports nor builds against it.
 * Whether it holds a built release is known only when it is read.
 */
export function defaultAgentReleaseDir(): string | null {
  const packageDir = agentPackageDir();
  return packageDir === null ? null : path.join(packageDir, 'dist', 'release');
}
