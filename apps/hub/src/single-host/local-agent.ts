import { spawn, type ChildProcess } from 'node:child_process';
import type { LoggerService } from '@nestjs/common';
import { agentLaunch } from './agent-launch';

export interface LocalAgentOptions {
  hubUrl: string;
  token: string;
  logger: LoggerService;
  /**
   * The hub's certificate file when it serves TLS: the agent trusts it, so
   * that a self-signed certificate works without turning verification off.
   */
  caFile?: string | null;
  /** Delay before restarting an agent that died on its own, in ms. */
  restartDelayMs?: number;
}

export interface LocalAgent {
  /** The running child's pid, or null between restarts. */
  pid(): number | null;
  /** Stops the agent (SIGTERM, then SIGKILL after a grace period) and keeps it stopped. */
  stop(): Promise<void>;
}

/** The agent exits with this status when the hub refuses it for good; restarting would not help. */
const AGENT_REFUSED_EXIT_CODE = 3;
const STOP_GRACE_MS = 3000;

/**
 * Runs this machine's agent as a child process of the hub. A separate process
 * keeps single-host mode honest: its samples travel the same socket.io path,
 * handshake and validation as a remote agent's, and the hub never loads the
 * collector.
 */
export function startLocalAgent(options: LocalAgentOptions): LocalAgent {
  const { entry, nodeFlags } = agentLaunch();
  const restartDelayMs = options.restartDelayMs ?? 5000;
  let child: ChildProcess | null = null;
  let stopped = false;
  let restartTimer: NodeJS.Timeout | null = null;

  const launch = (): void => {
    // The token goes through the environment, not argv, so other users of the
    // machine cannot read it in the process list.
    const proc = spawn(process.execPath, [...nodeFlags, entry, '--hub', options.hubUrl], {
      env: {
        ...process.env,
        HOSTWATCH_TOKEN: options.token,
        HOSTWATCH_HUB: options.hubUrl,
        // A CA bundle set for the hub's process wins: it may be the private CA that signed the certificate.
        ...(options.caFile && !process.env['HOSTWATCH_CA'] ? { HOSTWATCH_CA: options.caFile } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child = proc;
    options.logger.log(`Started this machine's agent (pid ${proc.pid})`, 'SingleHost');
    proc.on('error', (error) => options.logger.error(`Could not start the local agent: ${error.message}`, 'SingleHost'));
    proc.on('exit', (code, signal) => {
      child = null;
      if (stopped) return;
      // Exit 0 means it was asked to stop, e.g. by the Ctrl-C that reaches the whole terminal's process group.
      if (code === 0) return;
      if (code === AGENT_REFUSED_EXIT_CODE) {
        options.logger.error('The local agent was refused by the hub; it will not be restarted', 'SingleHost');
        return;
      }
      options.logger.warn(`The local agent exited (${signal ?? `code ${code}`}); restarting it in ${restartDelayMs / 1000} s`, 'SingleHost');
      restartTimer = setTimeout(launch, restartDelayMs);
    });
  };

  launch();

  return {
    pid: () => child?.pid ?? null,
    stop: async () => {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const killTimer = setTimeout(() => running.kill('SIGKILL'), STOP_GRACE_MS);
        running.once('exit', () => {
          clearTimeout(killTimer);
          resolve();
        });
        running.kill('SIGTERM');
      });
    },
  };
}
