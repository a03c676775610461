import * as path from 'node:path';

/** The agent package the hub runs (single-host mode) and hands out (/install/); named only here. */
export const AGENT_PACKAGE = '@hostwatch/agent';

/**
 * The folder of the agent package installed beside the hub, found at run
 * time: the hub neither imports nor builds against the agent. Null where it
 * is not installed.
 */
export function agentPackageDir(): string | null {
  try {
    return path.dirname(require.resolve(`${AGENT_PACKAGE}/package.json`));
  } catch {
    return null;
  }
}
