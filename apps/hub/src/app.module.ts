import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from './config/hub-config';
import { DEFAULT_RETENTION } from './config/retention';
import { AgentGateway } from './controllers/agent.gateway';
import { AuthController } from './controllers/auth.controller';
import { DashboardController } from './controllers/dashboard.controller';
import { HealthController } from './controllers/health.controller';
import { HistoryController } from './controllers/history.controller';
import { HostApiController } from './controllers/host-api.controller';
import { LiveGateway } from './controllers/live.gateway';
import { VIEW_ENGINE, createViewEngine } from './dashboard/view-engine';
import { AdminPasswordRepository } from './repositories/admin-password.repository';
import { AgentRegistryRepository } from './repositories/agent-registry.repository';
import { AgentTokenRepository } from './repositories/agent-token.repository';
import { CLOCK, SystemClock } from './repositories/clock.repository';
import { HISTORY_REPOSITORY } from './repositories/history.repository';
import { HOST_REPOSITORY } from './repositories/host.repository';
import { HOST_REGISTRY_REPOSITORY, type HostRegistryRepository } from './repositories/host-registry.repository';
import { InMemoryRecentSamplesRepository } from './repositories/in-memory-recent-samples.repository';
import { LIVE_ROOMS } from './repositories/live-rooms.repository';
import { RECENT_SAMPLES_REPOSITORY } from './repositories/recent-samples.repository';
import { SocketIoLiveRooms } from './repositories/socket-io-live-rooms.repository';
import { HISTORY_FILE } from './repositories/sqlite-history.repository';
import { SystemTimers, TIMERS } from './repositories/timers.repository';
import { PersistentHostRepository } from './repositories/persistent-host.repository';
import { WorkerHistoryRepository } from './repositories/worker-history.repository';
import { DASHBOARD_ACCESS, dashboardAccessFor } from './security/dashboard-access';
import { DashboardSecurity } from './security/dashboard-security';
import { AdminPasswordService } from './services/admin-password.service';
import { AgentAuthService } from './services/agent-auth.service';
import { AGENT_RATE_LIMIT, DEFAULT_AGENT_RATE_LIMIT } from './services/agent-rate';
import { HostBindingService } from './services/host-binding.service';
import { DEFAULT_MAX_HOSTS, HOST_LIMITS, latestBudgetBytes, type HostLimits } from './services/host-limits';
import { IssuedTokenService } from './services/issued-token.service';
import { AgentTokenService } from './services/agent-token.service';
import { AgentService } from './services/agent.service';
import { DashboardService } from './services/dashboard.service';
import { HealthService } from './services/health.service';
import { HistoryService } from './services/history.service';
import { HostApiService } from './services/host-api.service';
import { HostEvents } from './services/host-events';
import { HostService } from './services/host.service';
import { LiveService } from './services/live.service';
import { RecentSamplesService } from './services/recent-samples.service';
import { SignInService } from './services/sign-in.service';

@Module({})
export class AppModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HostApiController, HealthController, DashboardController, HistoryController, AuthController],
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: DASHBOARD_ACCESS, useValue: dashboardAccessFor(config) },
        AdminPasswordRepository,
        AdminPasswordService,
        DashboardSecurity,
        SignInService,
        { provide: CLOCK, useClass: SystemClock },
        {
          provide: HOST_REPOSITORY,
          inject: [HOST_REGISTRY_REPOSITORY],
          // Every known host is listed from the start, offline until its agent reports again.
          useFactory: (registry: HostRegistryRepository) => PersistentHostRepository.open(registry, latestBudgetBytes(config)),
        },
        AgentTokenRepository,
        AgentTokenService,
        {
          provide: AgentRegistryRepository,
          // Closed by Nest's shutdown hook, after the servers stopped taking handshakes.
          useFactory: () => AgentRegistryRepository.inDataDir(config.dataDir),
        },
        IssuedTokenService,
        HostBindingService,
        { provide: HOST_LIMITS, useValue: { maxHosts: config.maxHosts ?? DEFAULT_MAX_HOSTS } satisfies HostLimits },
        { provide: AGENT_RATE_LIMIT, useValue: DEFAULT_AGENT_RATE_LIMIT },
        AgentAuthService,
        AgentService,
        HostEvents,
        HostService,
        HostApiService,
        HealthService,
        DashboardService,
        AgentGateway,
        { provide: TIMERS, useClass: SystemTimers },
        { provide: VIEW_ENGINE, useFactory: () => createViewEngine() },
        { provide: RECENT_SAMPLES_REPOSITORY, useFactory: () => new InMemoryRecentSamplesRepository() },
        RecentSamplesService,
        SocketIoLiveRooms,
        { provide: LIVE_ROOMS, useExisting: SocketIoLiveRooms },
        LiveService,
        LiveGateway,
        {
          provide: HISTORY_REPOSITORY,
          // Closed by Nest's shutdown hook, after the servers stopped taking snapshots.
          useFactory: () =>
            WorkerHistoryRepository.open({
              file: path.join(config.dataDir, HISTORY_FILE),
              retention: config.retention ?? DEFAULT_RETENTION,
            }),
        },
        // One SQLite file and one thread keep both, so that a snapshot's latest row shares its history's commit.
        { provide: HOST_REGISTRY_REPOSITORY, useExisting: HISTORY_REPOSITORY },
        HistoryService,
      ],
    };
  }
}
