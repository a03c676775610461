import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_NAMESPACE, type Ack, type AgentAuth, type AgentToHubEvents, type HubToAgentEvents } from '@hostwatch/protocol';
import { io, type Socket } from 'socket.io-client';
import type { HubConfig } from '../core/hub-config';
import { startHub, type RunningHub, type StartHubOptions } from '../hub';

export type AgentClient = Socket<HubToAgentEvents, AgentToHubEvents>;

/** The refusal a hub sends through socket.io's connect_error. */
export type ConnectError = Error & { data?: { code?: string } };

/** Collects things to undo after a test, undone in reverse order even when the test failed. */
export class Cleanup {
  private readonly tasks: Array<() => Promise<void> | void> = [];

  add(task: () => Promise<void> | void): void {
    this.tasks.push(task);
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (const task of this.tasks.splice(0).reverse()) {
      try {
        await task();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

export async function makeTempDir(cleanup: Cleanup): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostwatch-hub-'));
  cleanup.add(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts a hub in this process for a test: port 0, loopback, a temp data dir
 * unless one is given, the given agent token; closed at cleanup.
 */
export async function startTestHub(
  cleanup: Cleanup,
  config: Partial<HubConfig> & Pick<HubConfig, 'agentToken'>,
  logger: StartHubOptions['logger'] = false,
): Promise<RunningHub> {
  const dataDir = config.dataDir ?? (await makeTempDir(cleanup));
  const hub = await startHub({ port: 0, host: '127.0.0.1', singleHost: false, ...config, dataDir }, { logger });
  cleanup.add(() => hub.close());
  return hub;
}

/** Opens an agent socket; resolves once connected, rejects with the hub's connect_error. */
export function connectAgent(baseUrl: string, auth: Partial<AgentAuth> | undefined, cleanup: Cleanup): Promise<AgentClient> {
  const socket: AgentClient = io(`${baseUrl}${AGENT_NAMESPACE}`, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
  cleanup.add(() => void socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

/** Emits an event and waits for the hub's ack, failing the test if none comes. */
export function send<E extends keyof AgentToHubEvents>(socket: AgentClient, event: E, payload: unknown): Promise<Ack> {
  // The payload is deliberately untyped: tests send what a hostile agent would.
  const untyped = socket.timeout(5000) as unknown as { emitWithAck(event: E, payload: unknown): Promise<Ack> };
  return untyped.emitWithAck(event, payload);
}

/** Polls until the check passes or the time is up; the last failure explains why. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface NodeProcess {
  child: ChildProcess;
  exited: Promise<Exit>;
  /** Everything it wrote so far, stdout then stderr. */
  output(): string;
  /** Resolves with the first match of the pattern in its output; rejects if it exits or the time is up first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Runs a Node script as a real process with only the given environment; killed at cleanup if still running. */
export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv, cleanup: Cleanup): NodeProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env['PATH'], XDG_STATE_HOME: process.env['XDG_STATE_HOME'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  cleanup.add(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const output = () => stdout + stderr;
  const waitFor = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${pattern} not seen in ${timeoutMs} ms:\n${output()}`)), timeoutMs);
      const look = () => {
        const match = pattern.exec(output());
        if (match) finish(null, match);
      };
      const early = () => finish(new Error(`exited before ${pattern} was seen:\n${output()}`));
      function finish(error: Error | null, match?: RegExpExecArray) {
        clearTimeout(timer);
        child.stdout?.off('data', look);
        child.stderr?.off('data', look);
        child.off('exit', early);
        if (match) resolve(match);
        else reject(error);
      }
      child.stdout?.on('data', look);
      child.stderr?.on('data', look);
      child.once('exit', early);
      look();
    });
  return { child, exited, output, waitFor };
}

/** Whether a process with this pid exists now. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
