#!/usr/bin/env -S node --jitless --no-expose-wasm --optimize-for-size
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { createCollector, renderTables } from '@hostwatch/collector';
import { runCli } from './cli/run-cli';
import { systemClock, systemTimers } from './time/timers';

export * from './index';

/** A stop must not hang on a probe that ignores it; by then nothing is left to save. */
const STOP_DEADLINE_MS = 900;

/** Runs the agent as its command line says, and exits with its status. */
export function main(): void {
  const shutdown = new AbortController();
  const stop = () => {
    shutdown.abort();
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A closed pipe (`--once | head`) is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`${new Date().toISOString()} ERROR stdout: ${error.message}\n`);
  });

  runCli({
    args: process.argv.slice(2),
    env: process.env,
    stdout: (text) => new Promise<void>((resolve) => process.stdout.write(text, () => resolve())),
    stderr: (text) => void process.stderr.write(text),
    readTextFile: (path) => fs.readFile(path, 'utf8'),
    fs,
    hostname,
    homedir,
    hostKeyFs: fsSync,
    clock: systemClock,
    timers: systemTimers,
    createCollector,
    renderTables,
    shutdown: shutdown.signal,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${new Date().toISOString()} ERROR ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}

// Importing the package for its API must not start an agent.
if (require.main === module) main();
