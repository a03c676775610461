import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HostFacts } from '@hostwatch/protocol';
import { checkFactsReply, type FactsReply } from './facts.check';
import type { FactsReader } from './facts-reader.types';

/** The facts process's script, next to this file once compiled. */
export const FACTS_MAIN = join(__dirname, 'facts.main.js');

/** systeminformation runs a few commands for the facts; far less than this even on a slow machine. */
const FACTS_TIMEOUT_MS = 30_000;
/** The reply is a few hundred bytes; anything near this is not a reply. */
const MAX_REPLY_BYTES = 64 * 1024;

/** Runs a Node.js script in a process of its own and resolves with what it printed. */
export type RunNodeScript = (script: string) => Promise<string>;

/**
 * Set in the environment of a program started as its own facts process: the
 * one-file agent has no facts.main.js beside it, so it starts itself, and its
 * entry runs runFactsProcess instead of the agent when it sees this.
 */
export const FACTS_PROCESS_ENV = 'HOSTWATCH_FACTS_PROCESS';

/**
 * What runs the facts process: the facts script beside this file, or, where
 * there is none (the agent bundled into one file, or a single executable),
 * this very program, told by FACTS_PROCESS_ENV to be the facts process.
 */
export function factsProcess(timeoutMs = FACTS_TIMEOUT_MS): { run: RunNodeScript; script: string } {
  if (existsSync(FACTS_MAIN)) return { run: execNodeScript(timeoutMs), script: FACTS_MAIN };
  // A single executable is its own script; a bundle run by node is process.argv[1].
  const script = isSingleExecutable() ? '' : (process.argv[1] ?? '');
  return { run: execNodeScript(timeoutMs, { [FACTS_PROCESS_ENV]: '1' }), script };
}

function isSingleExecutable(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:sea exists from Node 20.12 on; older ones are never single executables.
    return (require('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return false;
  }
}

/**
 * Runs the script with this process's Node.js, without its flags, and fails
 * when it fails or takes too long. An empty script runs the executable alone
 * (a single executable runs its own script). `env` is added to this process's.
 */
export function execNodeScript(timeoutMs = FACTS_TIMEOUT_MS, env: NodeJS.ProcessEnv = {}): RunNodeScript {
  return (script) =>
    new Promise((resolve, reject) => {
      const options = { encoding: 'utf8' as const, timeout: timeoutMs, maxBuffer: MAX_REPLY_BYTES, windowsHide: true, env: { ...process.env, ...env } };
      execFile(process.execPath, script === '' ? [] : [script], options, (error, stdout, stderr) => {
        if (error === null) return resolve(stdout);
        const why = error.killed ? `killed after ${timeoutMs} ms` : stderr.trim().split('\n').slice(-3).join(' ') || error.message;
        reject(new Error(`the facts process failed: ${why}`));
      });
    });
}

/**
 * The facts read by a short-lived process that exits once it has printed
 * them. They are what systeminformation alone answers among everything the
 * agent reports on Linux, and loading it would hold its modules in the
 * long-running agent for good. The reply is checked by the protocol's rules
 * like any input from outside.
 */
export class ChildFactsReader implements FactsReader {
  private reply: Promise<FactsReply> | null = null;

  constructor(
    private readonly run: RunNodeScript,
    private readonly script: string = FACTS_MAIN,
  ) {}

  async facts(): Promise<HostFacts> {
    return (await this.read()).facts;
  }

  async machineId(): Promise<string | null> {
    try {
      return (await this.read()).machineId;
    } catch {
      return null;
    }
  }

  /** One process answers both questions; a failed one is tried again on the next question. */
  private read(): Promise<FactsReply> {
    if (this.reply === null) {
      const reply = this.run(this.script).then(parseReply);
      reply.catch(() => {
        if (this.reply === reply) this.reply = null;
      });
      this.reply = reply;
    }
    return this.reply;
  }
}

function parseReply(stdout: string): FactsReply {
  let input: unknown;
  try {
    input = JSON.parse(stdout);
  } catch {
    throw new Error(`the facts process printed no JSON: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const checked = checkFactsReply(input);
  if (!checked.ok) throw new Error(`the facts process sent invalid facts: ${checked.message}`);
  return checked.data;
}
