import { Body, Controller, Get, Param, Post, Redirect, Render, UseFilters } from '@nestjs/common';
import type { HostDetailView } from '../dashboard/host-detail.presenter';
import type { HostListView } from '../dashboard/host-list.presenter';
import { NotFoundPageFilter } from '../filters/not-found-page.filter';
import { DashboardService } from '../services/dashboard.service';
import { HostApiService } from '../services/host-api.service';

@Controller()
@UseFilters(NotFoundPageFilter)
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly hosts: HostApiService,
  ) {}

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

  /** The host page's "Forget this host" form; works without JavaScript. Sign-in and CSRF proof are checked before it. */
  @Post('hosts/forget')
  @Redirect('/', 303)
  forget(@Body() form: { hostId?: unknown } | undefined): Promise<void> {
    return this.hosts.remove(typeof form?.hostId === 'string' ? form.hostId : '');
  }
}
