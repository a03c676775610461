import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { CoreModule } from './core/core.module';
import type { HubConfig } from './core/hub-config';
import { DashboardModule } from './dashboard/dashboard.module';
import { HistoryModule } from './history/history.module';
import { HostsModule } from './hosts/hosts.module';
import { IngestModule } from './ingest/ingest.module';
import { InstallModule } from './install/install.module';
import { LiveModule } from './live/live.module';
import { SingleHostModule } from './single-host/single-host.module';

/** The hub: its features, each a module of its own; this module only puts them together. */
@Module({})
export class AppModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        AccessModule,
        HostsModule,
        IngestModule,
        HistoryModule,
        DashboardModule,
        LiveModule,
        SingleHostModule,
        InstallModule,
      ],
    };
  }
}
