import { Command, CommanderError } from 'commander';
import { CONFIG_KEYS, type ConfigKey } from '../config/config-keys';
import { DEFAULT_BUFFER_SECONDS, DEFAULT_INTERVAL_SECONDS, DEFAULT_TOP_PROCESSES, defaultBufferSize, type FlagValues } from '../config/agent-config';
import { EXIT_CODES } from './exit-codes';
import { AGENT_VERSION } from '../version';

export interface CommandLineOutput {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
}

export type CommandLineResult = { kind: 'run'; flags: FlagValues } | { kind: 'exit'; code: number };

const env = (key: ConfigKey) => `(env: ${CONFIG_KEYS[key].env})`;

const EPILOG = `
Precedence: flags, then environment variables, then the config file, then defaults.
Switches read "true", "1", "yes" or "false", "0", "no" from the environment.

TLS: an https hub's certificate is verified against the system's CAs plus --ca. A certificate
that fails before the first connection ends the agent with exit code 3 (a setting to fix); one
that fails after the agent was connected is retried with backoff, keeping the samples buffered.

Exit codes: 0 stopped cleanly, 1 failed, 2 invalid configuration, 3 refused by the hub or its certificate.`;

function buildCommand(output: CommandLineOutput): Command {
  // Defaults are applied by the config resolver, not here, so that an unset
  // flag never hides a value from the environment or the config file.
  return new Command()
    .name('hostwatch-agent')
    .description("Collects this machine's stats and pushes them to a Hostwatch hub.")
    .version(AGENT_VERSION, '-V, --version', 'print the agent version')
    .option('--hub <url>', `hub to push to, e.g. http://hub.example:3000; required unless --once ${env('hub')}`)
    .option('--token <token>', `token the hub accepts; required unless --once ${env('token')}`)
    .option('--interval <seconds>', `seconds between samples, fractions allowed, at least 0.1 (default: ${DEFAULT_INTERVAL_SECONDS}) ${env('interval')}`)
    .option('--host-id <id>', `this host's id on the hub (default: the machine id, else the host name) ${env('hostId')}`)
    .option('--top <n>', `how many processes to report, by CPU (default: ${DEFAULT_TOP_PROCESSES}) ${env('top')}`)
    .option(
      '--probes <set>',
      `how this machine is read: linux (procfs and sysfs, no child processes), portable (systeminformation, the set macOS, Windows and BSD run), or auto, linux where /proc can be read (default: auto) ${env('probes')}`,
    )
    .option('--console', `also print the tables to stdout every interval ${env('console')}`)
    .option('--once', `print this machine's tables once and exit; needs no hub ${env('once')}`)
    .option(
      '--config <file>',
      `JSON file with any of these settings as camelCase keys: hub, token, interval, hostId, top, probes, console, once, buffer, spoolDir, keyFile, ca, insecure ${env('config')}`,
    )
    .option(
      '--buffer <n>',
      `most unacknowledged snapshots kept while the hub is away; the oldest go first (default: ${DEFAULT_BUFFER_SECONDS / 3600} hour of samples, 3600 / interval, e.g. ${defaultBufferSize(DEFAULT_INTERVAL_SECONDS * 1000)} at ${DEFAULT_INTERVAL_SECONDS} s) ${env('buffer')}`,
    )
    .option(
      '--spool-dir <dir>',
      `also keep unacknowledged snapshots in this directory (created private to this user), so that a restart or a crash loses none; at most --buffer of them (default: memory only) ${env('spoolDir')}`,
    )
    .option(
      '--key-file <file>',
      `where this machine's host key is kept: made on first run (private to this user), sent to the hub, which binds the host id to it (default: host-key in --spool-dir, else $XDG_STATE_HOME/hostwatch/host-key or ~/.local/state/hostwatch/host-key) ${env('keyFile')}`,
    )
    .option(
      '--ca <file>',
      `PEM CA certificates to trust for an https hub, besides the system's: a private CA or the hub's self-signed certificate ${env('ca')}`,
    )
    .option('--insecure', `do not verify the https hub's certificate (encrypted, but anyone in the path can pose as the hub) ${env('insecure')}`)
    .addHelpText('after', EPILOG)
    .exitOverride()
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr });
}

/** Parses the arguments after the script name; help, version and usage errors end the run here. */
export function parseCommandLine(args: readonly string[], output: CommandLineOutput): CommandLineResult {
  const command = buildCommand(output);
  try {
    command.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return { kind: 'exit', code: done ? EXIT_CODES.ok : EXIT_CODES.badConfig };
    }
    throw error;
  }
  const opts = command.opts<Record<string, string | boolean | undefined>>();
  const flags: FlagValues = {};
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    const value = opts[key];
    if (value !== undefined) flags[key] = value;
  }
  return { kind: 'run', flags };
}
