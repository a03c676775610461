import { Inject, Injectable } from '@nestjs/common';
import { presentHostDetail, type HostDetailView } from '../dashboard/host-detail.presenter';
import { presentHostList, type HostListView } from '../dashboard/host-list.presenter';
import { CLOCK, type Clock } from '../repositories/clock.repository';
import { HostService } from './host.service';

/** Builds the view-models of the dashboard pages. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly hosts: HostService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async hostListPage(): Promise<HostListView> {
    return presentHostList(await this.hosts.list(), this.clock.now());
  }

  /** Throws NotFoundException for an unknown host. */
  async hostDetailPage(hostId: string): Promise<HostDetailView> {
    return presentHostDetail(await this.hosts.get(hostId), this.clock.now());
  }
}
