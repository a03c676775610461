import { Module, type DynamicModule } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from './config/hub-config';
import { AgentGateway } from './controllers/agent.gateway';
import { DashboardController } from './controllers/dashboard.controller';
import { HealthController } from './controllers/health.controller';
import { HostApiController } from './controllers/host-api.controller';
import { AgentTokenRepository } from './repositories/agent-token.repository';
import { CLOCK, SystemClock } from './repositories/clock.repository';
import { HOST_REPOSITORY } from './repositories/host.repository';
import { InMemoryHostRepository } from './repositories/in-memory-host.repository';
import { AgentAuthService } from './services/agent-auth.service';
import { AgentTokenService } from './services/agent-token.service';
import { AgentService } from './services/agent.service';
import { DashboardService } from './services/dashboard.service';
import { HealthService } from './services/health.service';
import { HostApiService } from './services/host-api.service';
import { HostEvents } from './services/host-events';
import { HostService } from './services/host.service';

@Module({})
export class AppModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HostApiController, HealthController, DashboardController],
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: CLOCK, useClass: SystemClock },
        { provide: HOST_REPOSITORY, useClass: InMemoryHostRepository },
        AgentTokenRepository,
        AgentTokenService,
        AgentAuthService,
        AgentService,
        HostEvents,
        HostService,
        HostApiService,
        HealthService,
        DashboardService,
        AgentGateway,
      ],
    };
  }
}
