import { Module, type OnModuleInit } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { HostRemovalService } from '../hosts/host-removal.service';
import { HostsModule } from '../hosts/hosts.module';
import { AcceptedSnapshots } from './accepted-snapshots';
import { AgentAuthService } from './agent-auth.service';
import { AGENT_RATE_LIMIT, DEFAULT_AGENT_RATE_LIMIT } from './agent-rate';
import { AgentRegistryRepository } from './agent-registry.repository';
import { AgentTokenRepository } from './agent-token.repository';
import { AgentTokenService } from './agent-token.service';
import { AgentGateway } from './agent.gateway';
import { AgentService } from './agent.service';
import { HostBindingService } from './host-binding.service';
import { IssuedTokenService } from './issued-token.service';

/**
 * Where agents come in: the socket.io namespace, the handshake (tokens, host
 * keys and the host ids they bind, rate limits), the validation of every
 * message, and the seam that hands accepted snapshots to the features that
 * keep and show them (AcceptedSnapshots).
 */
@Module({
  imports: [HostsModule],
  providers: [
    AgentTokenRepository,
    AgentTokenService,
    {
      provide: AgentRegistryRepository,
      inject: [HUB_CONFIG],
      // Closed by Nest's shutdown hook, after the servers stopped taking handshakes.
      useFactory: (config: HubConfig) => AgentRegistryRepository.inDataDir(config.dataDir),
    },
    IssuedTokenService,
    HostBindingService,
    { provide: AGENT_RATE_LIMIT, useValue: DEFAULT_AGENT_RATE_LIMIT },
    AgentAuthService,
    AcceptedSnapshots,
    AgentService,
    AgentGateway,
  ],
  exports: [AcceptedSnapshots, AgentTokenService, IssuedTokenService],
})
export class IngestModule implements OnModuleInit {
  constructor(
    private readonly removal: HostRemovalService,
    private readonly bindings: HostBindingService,
  ) {}

  /** A deleted host's id is free for the next agent key that speaks for it. */
  onModuleInit(): void {
    this.removal.onRemove((hostId) => this.bindings.release(hostId));
  }
}
