import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

export const AGENT_REGISTRY_FILE = 'agents.sqlite';

/** A per-host token as stored: its hash only, never the token. */
export interface IssuedToken {
  id: string;
  /** The only host id the token admits; null admits any host id. */
  hostId: string | null;
  note: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface HostBinding {
  hostId: string;
  /** SHA-256 of the host key in hex; null while no agent has sent a key for the host. */
  keyHash: string | null;
  boundAt: number;
}

export type BindOutcome = 'bound' | 'claimed' | 'limit';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  host_id TEXT,
  note TEXT,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE TABLE IF NOT EXISTS host_bindings (
  host_id TEXT PRIMARY KEY,
  key_hash TEXT,
  bound_at INTEGER NOT NULL
);
`;

interface TokenRow {
  id: string;
  host_id: string | null;
  note: string | null;
  created_at: number;
  last_used_at: number | null;
}

/**
 * Issued agent tokens and host bindings, in a small SQLite file of the data
 * directory. The hub and the `token` command open the same file, so a token
 * added or revoked from the command line counts at the hub's next handshake
 * or message, without a restart. Every statement is prepared with parameters.
 */
export class AgentRegistryRepository {
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<AgentRegistryRepository['prepare']>;
  private ownWrites = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it: its WAL and shared-memory files copy these permissions.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      // The command line and the hub write the same file; one waits for the other's short transaction.
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
      this.stmt = this.prepare();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  static inDataDir(dataDir: string): AgentRegistryRepository {
    return new AgentRegistryRepository(path.join(dataDir, AGENT_REGISTRY_FILE));
  }

  private prepare() {
    const db = this.db;
    return {
      insertToken: db.prepare<[string, string, string | null, string | null, number]>(
        'INSERT INTO agent_tokens (id, token_hash, host_id, note, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      tokenByHash: db.prepare<[string], TokenRow>('SELECT id, host_id, note, created_at, last_used_at FROM agent_tokens WHERE token_hash = ?'),
      tokenExists: db.prepare<[string], number>('SELECT 1 FROM agent_tokens WHERE id = ?').pluck(),
      touchToken: db.prepare<[number, string]>('UPDATE agent_tokens SET last_used_at = ? WHERE id = ?'),
      listTokens: db.prepare<[], TokenRow>('SELECT id, host_id, note, created_at, last_used_at FROM agent_tokens ORDER BY created_at, id'),
      deleteToken: db.prepare<[string]>('DELETE FROM agent_tokens WHERE id = ?'),
      findBinding: db.prepare<[string], { host_id: string; key_hash: string | null; bound_at: number }>(
        'SELECT host_id, key_hash, bound_at FROM host_bindings WHERE host_id = ?',
      ),
      insertBinding: db.prepare<[string, string | null, number]>('INSERT INTO host_bindings (host_id, key_hash, bound_at) VALUES (?, ?, ?)'),
      claimBinding: db.prepare<[string, number, string]>('UPDATE host_bindings SET key_hash = ?, bound_at = ? WHERE host_id = ? AND key_hash IS NULL'),
      countBindings: db.prepare<[], number>('SELECT COUNT(*) FROM host_bindings').pluck(),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      deleteBinding: db.prepare<[string]>('DELETE FROM host_bindings WHERE host_id = ?'),
    };
  }

  /** Moves when another connection (the `token` command) committed a change to the file. */
  externalVersion(): number {
    return this.stmt.dataVersion.get() as number;
  }

  /** Moves with each write of this connection that can change who is admitted. */
  writes(): number {
    return this.ownWrites;
  }

  addToken(token: { id: string; tokenHash: string; hostId: string | null; note: string | null; createdAt: number }): void {
    this.stmt.insertToken.run(token.id, token.tokenHash, token.hostId, token.note, token.createdAt);
  }

  findTokenByHash(tokenHash: string): IssuedToken | null {
    const row = this.stmt.tokenByHash.get(tokenHash);
    return row ? toToken(row) : null;
  }

  hasToken(id: string): boolean {
    return this.stmt.tokenExists.get(id) !== undefined;
  }

  touchToken(id: string, now: number): void {
    this.stmt.touchToken.run(now, id);
  }

  listTokens(): IssuedToken[] {
    return this.stmt.listTokens.all().map(toToken);
  }

  /** False when no token has that id. */
  removeToken(id: string): boolean {
    this.ownWrites += 1;
    return this.stmt.deleteToken.run(id).changes > 0;
  }

  findBinding(hostId: string): HostBinding | null {
    const row = this.stmt.findBinding.get(hostId);
    return row ? { hostId: row.host_id, keyHash: row.key_hash, boundAt: row.bound_at } : null;
  }

  /**
   * Registers a host id that has no binding yet, with its key hash (or none),
   * unless the registry already holds maxHosts host ids. In one transaction,
   * so two hubs on one data directory cannot both pass the cap or both bind.
   */
  bindNew(hostId: string, keyHash: string | null, now: number, maxHosts: number): BindOutcome {
    this.ownWrites += 1;
    return this.db
      .transaction((): BindOutcome => {
        if (this.stmt.findBinding.get(hostId)) return 'claimed';
        if ((this.stmt.countBindings.get() as number) >= maxHosts) return 'limit';
        this.stmt.insertBinding.run(hostId, keyHash, now);
        return 'bound';
      })
      .immediate();
  }

  /** Sets the key of a host registered without one; false when a key was set meanwhile. */
  claimKeyless(hostId: string, keyHash: string, now: number): boolean {
    this.ownWrites += 1;
    return this.stmt.claimBinding.run(keyHash, now, hostId).changes > 0;
  }

  countBindings(): number {
    return this.stmt.countBindings.get() as number;
  }

  /** Releases the host id: the next agent to connect for it binds it anew. */
  removeBinding(hostId: string): boolean {
    this.ownWrites += 1;
    return this.stmt.deleteBinding.run(hostId).changes > 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Nest's shutdown hook. */
  onApplicationShutdown(): void {
    this.close();
  }
}

function toToken(row: TokenRow): IssuedToken {
  return { id: row.id, hostId: row.host_id, note: row.note, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}
