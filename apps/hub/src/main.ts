#!/usr/bin/env -S node --max-semi-space-size=32 --heap-growing-percent=200 --no-memory-reducer
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runTokenCommand } from './ingest/token.command';
import { CONFIG_ERROR_EXIT_CODE, parseHubConfig, type HubConfig } from './core/hub-config';
import { startHub, type RunningHub } from './hub';
import { SystemClock } from './core/clock';
import { HubLogger } from './core/hub-logger';
import { LocalAgentService } from './single-host/local-agent.service';

async function start(config: HubConfig): Promise<RunningHub> {
  const hub = await startHub(config, { logger: new HubLogger() });
  try {
    // Stopped by the hub's close, before the servers close, so that its last samples still arrive.
    if (config.singleHost) hub.app.get(LocalAgentService).start(hub.url, hub.agentToken);
  } catch (error) {
    // The open server would keep the process alive.
    await hub.close().catch(() => undefined);
    throw error;
  }
  return hub;
}

function explainStartError(error: unknown, config: HubConfig): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return `port ${config.port} on ${config.host} is already in use; choose another with --port or HOSTWATCH_PORT`;
  if (code === 'EADDRNOTAVAIL') return `${config.host} is not an address of this machine; choose another with --host or HOSTWATCH_HOST`;
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'token') {
    process.exitCode = runTokenCommand({
      args: args.slice(1),
      env: process.env,
      cwd: process.cwd(),
      stdout: (text) => void process.stdout.write(text),
      stderr: (text) => void process.stderr.write(text),
      clock: new SystemClock(),
    });
    return;
  }
  const parsed = parseHubConfig(args, process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`${parsed.message}\n`);
    process.exitCode = CONFIG_ERROR_EXIT_CODE;
    return;
  }

  const logger = new Logger('Main');
  let hub: RunningHub;
  try {
    hub = await start(parsed.config);
  } catch (error) {
    logger.error(`The hub could not start: ${explainStartError(error, parsed.config)}`);
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    // A second Ctrl-C while closing means the user does not want to wait.
    if (stopping) process.exit(1);
    stopping = true;
    logger.log(`${signal} received, stopping`);
    await hub.close().catch((error: unknown) => logger.error(`Error while stopping: ${String(error)}`));
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

void main();
