import { Controller, Get, Param, Render, UseFilters } from '@nestjs/common';
import type { HostDetailView } from '../dashboard/host-detail.presenter';
import type { HostListView } from '../dashboard/host-list.presenter';
import { NotFoundPageFilter } from '../filters/not-found-page.filter';
import { DashboardService } from '../services/dashboard.service';

@Controller()
@UseFilters(NotFoundPageFilter)
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Render('index')
  hostList(): Promise<HostListView> {
    return this.dashboard.hostListPage();
  }

  @Get('hosts/:hostId')
  @Render('host')
  hostDetail(@Param('hostId') hostId: string): Promise<HostDetailView> {
    return this.dashboard.hostDetailPage(hostId);
  }
}
