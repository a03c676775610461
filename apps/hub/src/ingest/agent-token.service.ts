import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { LIMITS } from '@hostwatch/protocol';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { AgentTokenRepository } from './agent-token.repository';

export type TokenOrigin = 'config' | 'file' | 'generated';

/** 32 random bytes: far beyond guessing, and short enough to paste into a command line. */
const GENERATED_TOKEN_BYTES = 32;

/**
 * Decides the token agents must present: the configured one, else the one
 * stored in the data directory, else a new random one stored there, so that
 * agents keep working across hub restarts.
 */
@Injectable()
export class AgentTokenService implements OnModuleInit {
  private readonly logger = new Logger(AgentTokenService.name);
  private resolved: { token: string; origin: TokenOrigin } | null = null;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly tokens: AgentTokenRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.resolved = await this.resolve();
  }

  /** The token agents must present. Available once the module has initialised. */
  getToken(): string {
    if (!this.resolved) throw new Error('The agent token is not resolved yet');
    return this.resolved.token;
  }

  getOrigin(): TokenOrigin {
    if (!this.resolved) throw new Error('The agent token is not resolved yet');
    return this.resolved.origin;
  }

  private async resolve(): Promise<{ token: string; origin: TokenOrigin }> {
    if (this.config.agentToken !== null) return { token: this.config.agentToken, origin: 'config' };

    const stored = await this.readValid();
    if (stored) return { token: stored, origin: 'file' };

    const token = randomBytes(GENERATED_TOKEN_BYTES).toString('base64url');
    if (await this.tokens.create(this.config.dataDir, token)) {
      this.logger.log(`Generated a new agent token in ${this.tokens.fileIn(this.config.dataDir)}`);
      return { token, origin: 'generated' };
    }
    // Another hub on the same data directory wrote its token first: share it.
    const raced = await this.readValid();
    if (!raced) throw new Error(`Could not read the agent token from ${this.tokens.fileIn(this.config.dataDir)}`);
    return { token: raced, origin: 'file' };
  }

  private async readValid(): Promise<string | null> {
    const stored = await this.tokens.read(this.config.dataDir);
    if (!stored) return null;
    if (stored.token.length === 0 || stored.token.length > LIMITS.tokenLength || /\s/.test(stored.token)) {
      throw new Error(`${stored.file} does not hold a usable agent token (1 to ${LIMITS.tokenLength} characters, no spaces); fix or delete it`);
    }
    if ((stored.mode & 0o077) !== 0) {
      this.logger.warn(`${stored.file} can be read by other users (mode ${stored.mode.toString(8)}); run: chmod 600 ${stored.file}`);
    }
    return stored.token;
  }
}
