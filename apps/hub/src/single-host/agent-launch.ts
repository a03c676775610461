import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AGENT_PACKAGE, agentPackageDir } from '../core/agent-package';

const AGENT_BIN = 'hostwatch-agent';

/** How to run an agent: `node <nodeFlags> <entry> ...`. */
export interface AgentLaunch {
  entry: string;
  nodeFlags: string[];
}

/**
 * The agent as its own package declares it: the file of its
 * `hostwatch-agent` bin, run with the Node.js flags of that file's shebang
 * (`#!/usr/bin/env -S node --jitless ...`), so that this machine's agent
 * runs exactly as the installed command does. Read at run time: the hub
 * neither imports nor builds against the agent.
 */
export function agentLaunch(): AgentLaunch {
  const packageDir = agentPackageDir();
  if (packageDir === null) throw new Error(`single-host mode runs the ${AGENT_PACKAGE} package, which is not installed beside the hub`);
  const manifestFile = path.join(packageDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { bin?: Record<string, string> | string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[AGENT_BIN];
  if (!bin) throw new Error(`the ${AGENT_PACKAGE} package declares no ${AGENT_BIN} bin (${manifestFile})`);
  const entry = path.resolve(path.dirname(manifestFile), bin);
  let firstLine: string;
  try {
    firstLine = readFileSync(entry, 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    throw new Error(`the agent is not built: ${entry} is missing; build it with npx tsc -b apps/agent`);
  }
  return { entry, nodeFlags: shebangNodeFlags(firstLine, entry) };
}

/** The flags after `node` in a `#!/usr/bin/env -S node ...` line; an entry without them is refused, not guessed at. */
export function shebangNodeFlags(firstLine: string, file: string): string[] {
  const words = firstLine.startsWith('#!') ? firstLine.slice(2).trim().split(/\s+/) : [];
  const node = words.findIndex((word) => word === 'node' || word.endsWith('/node'));
  const flags = node === -1 ? [] : words.slice(node + 1);
  if (node === -1 || !flags.every((flag) => /^--[a-z0-9-]+(=[\w.-]+)?$/.test(flag))) {
    throw new Error(`${file} does not start with a '#!/usr/bin/env -S node --flag ...' line naming only Node.js flags`);
  }
  return flags;
}
