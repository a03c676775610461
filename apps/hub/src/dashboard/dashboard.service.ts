import { Inject, Injectable } from '@nestjs/common';
import { presentHostDetail, type HostDetailView } from './host-detail.presenter';
import { presentHostList, type HostListView } from './host-list.presenter';
import { NameOrder } from './name-order';
import { CLOCK, type Clock } from '../core/clock';
import { HostService } from '../hosts/host.service';
import { RecentSamplesService } from '../history/recent-samples.service';

/** Builds the view-models of the dashboard pages. */
@Injectable()
export class DashboardService {
  private readonly order = new NameOrder();

  constructor(
    private readonly hosts: HostService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly samples: RecentSamplesService,
  ) {}

  async hostListPage(): Promise<HostListView> {
    const hosts = await this.hosts.listMeta();
    return presentHostList(hosts, this.clock.now(), await this.samples.recent(hosts.map((host) => host.hostId)), this.order);
  }

  /** Throws NotFoundException for an unknown host. */
  async hostDetailPage(hostId: string): Promise<HostDetailView> {
    return presentHostDetail(await this.hosts.get(hostId), this.clock.now());
  }
}
