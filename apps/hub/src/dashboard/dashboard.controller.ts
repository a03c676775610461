import { Body, Controller, Get, Param, Post, Redirect, Render, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import type { HostListView } from './host-list.presenter';
import { NotFoundPageFilter } from './not-found-page.filter';
import { DashboardService, type HostPageView } from './dashboard.service';
import { HostApiService } from '../hosts/host-api.service';

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
  hostDetail(@Param('hostId') hostId: string, @Req() req: Request): Promise<HostPageView> {
    return this.dashboard.hostDetailPage(hostId, { protocol: req.protocol, host: req.headers.host });
  }

  /** The host page's "Forget this host" form; works without JavaScript. Sign-in and CSRF proof are checked before it. */
  @Post('hosts/forget')
  @Redirect('/', 303)
  forget(@Body() form: { hostId?: unknown } | undefined): Promise<void> {
    return this.hosts.remove(typeof form?.hostId === 'string' ? form.hostId : '');
  }
}
