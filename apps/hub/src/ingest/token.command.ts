import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { hostIdSchema } from '@hostwatch/protocol';
import { AgentRegistryRepository, type IssuedToken } from './agent-registry.repository';
import type { Clock } from '../core/clock';
import { IssuedTokenService } from './issued-token.service';

export interface TokenCommandDeps {
  /** The arguments after `token`. */
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  clock: Clock;
}

const USAGE_ERROR = 2;
const MAX_NOTE = 200;

const EPILOG = `
Tokens live, hashed, in <data-dir>/agents.sqlite. A running hub on the same
data directory honours an added or revoked token at once: an agent whose token
is revoked is disconnected at its next message and refused from then on. The
shared agent token (<data-dir>/agent-token or --agent-token) keeps working.

Rotating the shared token: issue tokens with "token add", move agents to them,
then restart the hub with a new --agent-token (or delete <data-dir>/agent-token
to have a new one generated).`;

/**
 * `hostwatch-hub token add|list|revoke`: issues, lists and revokes per-host
 * agent tokens in the data directory. Returns the exit code.
 */
export function runTokenCommand(deps: TokenCommandDeps): number {
  let code = 0;
  const dataDirOf = (flag: string | undefined) => path.resolve(deps.cwd, flag ?? (deps.env['HOSTWATCH_DATA_DIR'] || undefined) ?? './data');
  const withTokens = (dataDir: string | undefined, work: (tokens: IssuedTokenService) => number) => {
    const registry = AgentRegistryRepository.inDataDir(dataDirOf(dataDir));
    try {
      code = work(new IssuedTokenService(registry, deps.clock));
    } finally {
      registry.close();
    }
  };
  const dataDirOption = ['--data-dir <dir>', "the hub's data directory (env: HOSTWATCH_DATA_DIR; default ./data)"] as const;

  const program = new Command('hostwatch-hub token')
    .description('Issues, lists and revokes the tokens agents connect with.')
    .addHelpText('after', EPILOG)
    .exitOverride()
    .configureOutput({ writeOut: deps.stdout, writeErr: deps.stderr });

  program
    .command('add')
    .description('issue a new token and print it once; it cannot be shown again')
    .option('--host <id>', 'the only host id the token admits (default: any host id)')
    .option('--name <note>', 'a note to recognise the token by in the list')
    .option(...dataDirOption)
    .action((opts: { host?: string; name?: string; dataDir?: string }) => {
      if (opts.host !== undefined && !hostIdSchema.safeParse(opts.host).success) {
        deps.stderr(`--host: '${opts.host}' is not a host id (letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64)\n`);
        code = USAGE_ERROR;
        return;
      }
      if (opts.name !== undefined && opts.name.length > MAX_NOTE) {
        deps.stderr(`--name: at most ${MAX_NOTE} characters\n`);
        code = USAGE_ERROR;
        return;
      }
      withTokens(opts.dataDir, (tokens) => {
        const { token, issued } = tokens.issue({ hostId: opts.host ?? null, note: opts.name ?? null });
        deps.stderr(
          `Issued token ${issued.id} for ${issued.hostId === null ? 'any host id' : `host '${issued.hostId}'`}. ` +
            'Give it to the agent as --token or HOSTWATCH_TOKEN; it is shown only this once:\n',
        );
        deps.stdout(`${token}\n`);
        return 0;
      });
    });

  program
    .command('list')
    .description('list issued tokens: id, host, note, created, last used (never the token)')
    .option(...dataDirOption)
    .action((opts: { dataDir?: string }) => {
      withTokens(opts.dataDir, (tokens) => {
        deps.stdout(renderList(tokens.list()));
        return 0;
      });
    });

  program
    .command('revoke')
    .description('revoke a token by its id: agents using it are refused, and disconnected at their next message')
    .argument('<id>', 'the token id from "token list"')
    .option(...dataDirOption)
    .action((id: string, opts: { dataDir?: string }) => {
      withTokens(opts.dataDir, (tokens) => {
        if (!tokens.revoke(id)) {
          deps.stderr(`No token with id '${printable(id)}'; see "token list"\n`);
          return 1;
        }
        deps.stdout(`Revoked token ${id}\n`);
        return 0;
      });
    });

  try {
    program.parse([...deps.args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version';
      return done ? 0 : USAGE_ERROR;
    }
    deps.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return code;
}

function renderList(tokens: readonly IssuedToken[]): string {
  if (tokens.length === 0) return 'No issued tokens.\n';
  const rows = [
    ['ID', 'HOST', 'NOTE', 'CREATED', 'LAST USED'],
    ...tokens.map((t) => [t.id, t.hostId ?? '*', printable(t.note ?? ''), iso(t.createdAt), t.lastUsedAt === null ? 'never' : iso(t.lastUsedAt)]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A note is shown on a terminal: control characters (escape sequences) are not passed through. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}
