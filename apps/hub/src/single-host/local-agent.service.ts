import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { startLocalAgent, type LocalAgent } from './local-agent';

/**
 * This machine's agent in single-host mode: started once the hub listens
 * (it needs the hub's URL and token), stopped before the hub closes, so that
 * its last samples still reach it.
 */
@Injectable()
export class LocalAgentService implements OnModuleDestroy {
  private agent: LocalAgent | null = null;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  start(hubUrl: string, token: string): void {
    this.agent ??= startLocalAgent({ hubUrl, token, logger: new Logger('SingleHost'), caFile: this.config.tlsCert });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent?.stop();
  }
}
