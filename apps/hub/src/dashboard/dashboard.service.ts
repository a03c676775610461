import { Inject, Injectable } from '@nestjs/common';
import { presentHostDetail, type HostDetailView } from './host-detail.presenter';
import { presentHostList, type HostListView } from './host-list.presenter';
import { NameOrder } from './name-order';
import { CLOCK, type Clock } from '../core/clock';
import { HostService } from '../hosts/host.service';
import { RecentSamplesService } from '../history/recent-samples.service';
import { AgentReleaseService } from '../install/agent-release.service';
import type { RequestOrigin } from '../install/hub-url';
import { InstallLineService } from './install-line.service';

/** The host page: its view-model, and the line that upgrades its agent where that is older than the hub's release. */
export type HostPageView = HostDetailView & { upgradeCommand: string };

/** Builds the view-models of the dashboard pages. */
@Injectable()
export class DashboardService {
  private readonly order = new NameOrder();

  constructor(
    private readonly hosts: HostService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly samples: RecentSamplesService,
    private readonly release: AgentReleaseService,
    private readonly lines: InstallLineService,
  ) {}

  async hostListPage(): Promise<HostListView> {
    const hosts = await this.hosts.listMeta();
    return presentHostList(hosts, this.clock.now(), await this.samples.recent(hosts.map((host) => host.hostId)), this.order, this.release.version());
  }

  /** Throws NotFoundException for an unknown host. */
  async hostDetailPage(hostId: string, origin: RequestOrigin): Promise<HostPageView> {
    const view = presentHostDetail(await this.hosts.get(hostId), this.clock.now(), this.release.version());
    return { ...view, upgradeCommand: view.agentOlder ? this.lines.upgrade(origin) : '' };
  }
}
