import { ProbeSetUnavailableError, type Collector, type CollectorOptions } from '@hostwatch/collector';
import type { HostFacts, Metrics } from '@hostwatch/protocol';
import { PROTOCOL_VERSION } from '@hostwatch/protocol/light';
import { Agent } from '../agent/agent';
import { openSnapshotQueue } from '../buffer/open-snapshot-queue';
import { formatConfigErrors, type EnvValues } from '../config/agent-config';
import { loadAgentConfig, type ReadTextFile } from '../config/load-agent-config';
import { resolveHostId } from '../host/host-id';
import { defaultHostKeyFile, loadOrCreateHostKey, type HostKeyFs } from '../host/host-key';
import { SocketHubLink, type HubLink, type SocketHubLinkOptions } from '../link/hub-link';
import { holdsPemCertificate, tlsTrust } from '../link/tls-trust';
import { createLineLogger } from '../log/logger';
import type { SpoolFs } from '../spool/spool-fs';
import type { Clock, Timers } from '../time/timers';
import { AGENT_VERSION } from '../version';
import { parseCommandLine } from './command-line';
import { EXIT_CODES } from './exit-codes';
import { printOnce } from './print-once';
import { describeRefusal } from './refusal-message';

/** Everything the command touches outside itself. */
export interface CliDeps {
  /** The arguments after the script name. */
  args: readonly string[];
  env: EnvValues;
  /** Tables; resolves once written, so that the process may exit right after. */
  stdout: (text: string) => Promise<void>;
  /** Log lines and usage errors. */
  stderr: (text: string) => void;
  readTextFile: ReadTextFile;
  /** Where --spool-dir keeps unacknowledged snapshots. */
  fs: SpoolFs;
  hostname: () => string;
  /** The user's home directory: the host key's default place is below it. */
  homedir: () => string;
  /** Where the host key is read and made. */
  hostKeyFs: HostKeyFs;
  clock: Clock;
  timers: Timers;
  createCollector: (options: CollectorOptions) => Collector;
  renderTables: (facts: HostFacts, metrics: Metrics) => string;
  createLink?: (options: SocketHubLinkOptions) => HubLink;
  /** Aborted on SIGINT/SIGTERM. */
  shutdown: AbortSignal;
}

/** Runs the agent command to its end and returns the exit code. */
export async function runCli(deps: CliDeps): Promise<number> {
  const { env, stderr, clock, timers, shutdown } = deps;
  const parsed = parseCommandLine(deps.args, { writeOut: (text) => void deps.stdout(text), writeErr: stderr });
  if (parsed.kind === 'exit') return parsed.code;

  const loaded = await loadAgentConfig(parsed.flags, env, deps.readTextFile);
  if (!loaded.ok) {
    stderr(`${formatConfigErrors(loaded.errors)}\n`);
    return EXIT_CODES.badConfig;
  }
  const config = loaded.config;
  const logger = createLineLogger({ write: stderr, now: () => clock.now() });

  let caPem: string | null = null;
  if (config.caFile !== null) {
    try {
      caPem = await deps.readTextFile(config.caFile);
    } catch (error) {
      stderr(
        `${formatConfigErrors([`--ca / HOSTWATCH_CA: cannot read ${JSON.stringify(config.caFile)} (${error instanceof Error ? error.message : String(error)})`])}\n`,
      );
      return EXIT_CODES.badConfig;
    }
    if (!holdsPemCertificate(caPem)) {
      stderr(`${formatConfigErrors([`--ca / HOSTWATCH_CA: ${JSON.stringify(config.caFile)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`])}\n`);
      return EXIT_CODES.badConfig;
    }
  }

  let collector: Collector;
  try {
    collector = deps.createCollector({ topProcesses: config.topProcesses, probes: config.probes });
  } catch (error) {
    if (!(error instanceof ProbeSetUnavailableError)) throw error;
    stderr(`${formatConfigErrors([`--probes / HOSTWATCH_PROBES: ${error.message}; use auto or portable`])}\n`);
    return EXIT_CODES.badConfig;
  }

  try {
    if (config.once) {
      await untilAborted(printOnce({ collector, timers, render: deps.renderTables, write: deps.stdout }), shutdown);
      return EXIT_CODES.ok;
    }

    const started = await untilAborted(
      Promise.all([collector.collectFacts(), resolveHostId(config.hostId, { machineId: () => collector.machineId(), hostname: deps.hostname })]),
      shutdown,
    );
    if (started === null) return EXIT_CODES.ok;
    const [facts, hostId] = started;

    const { queue, firstSeq, close } = await openSnapshotQueue({
      capacity: config.bufferSize,
      spoolDir: config.spoolDir,
      hostId,
      fs: deps.fs,
      clock,
      logger,
    });
    let hostKey: string;
    try {
      hostKey = loadOrCreateHostKey(config.keyFile ?? defaultHostKeyFile(config.spoolDir, env, deps.homedir), deps.hostKeyFs);
    } catch (error) {
      await close();
      throw error;
    }
    const auth = { token: config.token, hostId, protocolVersion: PROTOCOL_VERSION, intervalMs: config.intervalMs, agentVersion: AGENT_VERSION, hostKey };
    const tls = tlsTrust({ caPem, insecure: config.insecure });
    const linkOptions: SocketHubLinkOptions = { hubUrl: config.hub, auth, logger, timers, tls };
    const link = deps.createLink ? deps.createLink(linkOptions) : new SocketHubLink(linkOptions);
    const agent = new Agent({
      hostId,
      intervalMs: config.intervalMs,
      facts,
      collector,
      link,
      buffer: queue,
      firstSeq,
      clock,
      timers,
      logger,
      onSample: config.console ? (metrics) => void deps.stdout(deps.renderTables(facts, metrics)) : undefined,
    });

    const keeps = config.spoolDir === null ? 'in memory' : `in memory and in ${config.spoolDir}`;
    logger.info(
      `hostwatch agent ${AGENT_VERSION}: host ${hostId} (${facts.hostname}), hub ${config.hub}, every ${config.intervalMs / 1000} s, ` +
        `up to ${config.bufferSize} unacknowledged snapshots kept ${keeps}`,
    );
    if (config.insecure) {
      // Loud on purpose: this setting is easy to leave behind after a test.
      logger.warn(
        "!!! --insecure: the hub's TLS certificate is NOT verified. Anyone on the network path can pose as the hub " +
          'and read the token and every sample. Use --ca FILE to trust a private CA or a self-signed certificate instead. !!!',
      );
    }
    shutdown.addEventListener('abort', () => agent.stop(), { once: true });
    if (shutdown.aborted) agent.stop();
    const end = await agent.run();
    await close();
    if (end.reason === 'refused') {
      logger.error(describeRefusal(end.refusal));
      return EXIT_CODES.refused;
    }
    logger.info('stopped');
    return EXIT_CODES.ok;
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error));
    return EXIT_CODES.failure;
  }
}

/** Resolves with the promise's value, or with null as soon as a stop is requested. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
