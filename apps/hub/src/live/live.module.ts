import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { DashboardModule } from '../dashboard/dashboard.module';
import { HistoryModule } from '../history/history.module';
import { HostsModule } from '../hosts/hosts.module';
import { IngestModule } from '../ingest/ingest.module';
import { InstallModule } from '../install/install.module';
import { LIVE_ROOMS } from './live-rooms.repository';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';
import { SocketIoLiveRooms } from './socket-io-live-rooms.repository';

/** Pushes what changes to the browsers that watch a page, as fragments rendered from the pages' own partials. */
@Module({
  imports: [HostsModule, IngestModule, HistoryModule, DashboardModule, AccessModule, InstallModule],
  providers: [SocketIoLiveRooms, { provide: LIVE_ROOMS, useExisting: SocketIoLiveRooms }, LiveService, LiveGateway],
})
export class LiveModule {}
