import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { HostsModule } from '../hosts/hosts.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { VIEW_ENGINE, createViewEngine } from './view-engine';

/** The pages: the host list and each host's page, rendered from Handlebars views by presenters. */
@Module({
  imports: [HostsModule, HistoryModule],
  controllers: [DashboardController],
  providers: [{ provide: VIEW_ENGINE, useFactory: () => createViewEngine() }, DashboardService],
  exports: [VIEW_ENGINE],
})
export class DashboardModule {}
