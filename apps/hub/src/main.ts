#!/usr/bin/env node
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { CONFIG_ERROR_EXIT_CODE, parseHubConfig, type HubConfig } from './config/hub-config';
import { startHub, type RunningHub } from './hub';

/** Something that must be stopped, in reverse order of starting, when the process shuts down. */
type Stoppable = () => Promise<void>;

async function startParts(config: HubConfig, logger: Logger): Promise<Stoppable[]> {
  const hub: RunningHub = await startHub(config);
  const parts: Stoppable[] = [() => hub.close()];
  if (config.singleHost) {
    // Single-host mode: an agent for this machine runs as a child process that
    // connects to hub.url with hub.agentToken, so its data takes the same
    // socket.io path and validation as any remote agent's. Its stop function
    // goes into parts so that Ctrl-C stops both.
    logger.warn('Single-host mode: the local agent is not started by this build; run it with npm run agent');
  }
  return parts;
}

async function main(): Promise<void> {
  const parsed = parseHubConfig(process.argv.slice(2), process.env);
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
  let parts: Stoppable[];
  try {
    parts = await startParts(parsed.config, logger);
  } catch (error) {
    logger.error(`The hub could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    // A second Ctrl-C while closing means the user does not want to wait.
    if (stopping) process.exit(1);
    stopping = true;
    logger.log(`${signal} received, stopping`);
    for (const part of [...parts].reverse()) {
      await part().catch((error: unknown) => logger.error(`Error while stopping: ${String(error)}`));
    }
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

void main();
