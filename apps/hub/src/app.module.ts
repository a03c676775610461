import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from './core/hub-config';
import { DEFAULT_RETENTION } from './core/retention';
import { AgentGateway } from './ingest/agent.gateway';
import { AuthController } from './access/auth.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { HealthController } from './hosts/health.controller';
import { HistoryController } from './history/history.controller';
import { HostApiController } from './hosts/host-api.controller';
import { LiveGateway } from './live/live.gateway';
import { VIEW_ENGINE, createViewEngine } from './dashboard/view-engine';
import { AdminPasswordRepository } from './access/admin-password.repository';
import { AgentRegistryRepository } from './ingest/agent-registry.repository';
import { AgentTokenRepository } from './ingest/agent-token.repository';
import { CLOCK, SystemClock } from './core/clock';
import { HISTORY_REPOSITORY } from './store/history.repository';
import { HOST_REPOSITORY } from './hosts/host.repository';
import { HOST_REGISTRY_REPOSITORY, type HostRegistryRepository } from './store/host-registry.repository';
import { InMemoryRecentSamplesRepository } from './history/in-memory-recent-samples.repository';
import { LIVE_ROOMS } from './live/live-rooms.repository';
import { RECENT_SAMPLES_REPOSITORY } from './history/recent-samples.repository';
import { SocketIoLiveRooms } from './live/socket-io-live-rooms.repository';
import { HISTORY_FILE } from './store/sqlite-history.repository';
import { SystemTimers, TIMERS } from './core/timers';
import { PersistentHostRepository } from './hosts/persistent-host.repository';
import { WorkerHistoryRepository } from './store/worker-history.repository';
import { DASHBOARD_ACCESS, dashboardAccessFor } from './access/dashboard-access';
import { DashboardSecurity } from './access/dashboard-security';
import { AdminPasswordService } from './access/admin-password.service';
import { AgentAuthService } from './ingest/agent-auth.service';
import { AGENT_RATE_LIMIT, DEFAULT_AGENT_RATE_LIMIT } from './ingest/agent-rate';
import { HostBindingService } from './ingest/host-binding.service';
import { DEFAULT_MAX_HOSTS, HOST_LIMITS, latestBudgetBytes, type HostLimits } from './core/host-limits';
import { IssuedTokenService } from './ingest/issued-token.service';
import { AgentTokenService } from './ingest/agent-token.service';
import { AgentService } from './ingest/agent.service';
import { DashboardService } from './dashboard/dashboard.service';
import { HealthService } from './hosts/health.service';
import { HistoryService } from './history/history.service';
import { HostApiService } from './hosts/host-api.service';
import { HostEvents } from './hosts/host-events';
import { HostService } from './hosts/host.service';
import { LiveService } from './live/live.service';
import { RecentSamplesService } from './history/recent-samples.service';
import { SignInService } from './access/sign-in.service';

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
