import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { HostsModule } from '../hosts/hosts.module';
import { IngestModule } from '../ingest/ingest.module';
import { InstallModule } from '../install/install.module';
import { AddHostController } from './add-host.controller';
import { AddHostService } from './add-host.service';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { InstallLineService } from './install-line.service';
import { VIEW_ENGINE, createViewEngine } from './view-engine';

/** The pages: the host list, each host's page and Add a host, rendered from Handlebars views by presenters. */
@Module({
  imports: [HostsModule, HistoryModule, IngestModule, InstallModule],
  controllers: [DashboardController, AddHostController],
  providers: [{ provide: VIEW_ENGINE, useFactory: () => createViewEngine() }, DashboardService, AddHostService, InstallLineService],
  exports: [VIEW_ENGINE],
})
export class DashboardModule {}
