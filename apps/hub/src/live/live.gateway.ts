import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { LIVE_NAMESPACE, type Ack, type BrowserToHubEvents, type HubToBrowserEvents } from '@hostwatch/protocol';
import type { Socket } from 'socket.io';
import { SocketIoLiveRooms, type LiveNamespace } from './socket-io-live-rooms.repository';
import { DashboardSecurity } from '../access/dashboard-security';
import { LiveService } from './live.service';

type BrowserSocket = Socket<BrowserToHubEvents, HubToBrowserEvents>;

/**
 * Where browsers watch live pages. Read-only by construction: `subscribe` is
 * its only handler, so anything else a browser emits (a `snapshot`, say) has
 * nowhere to go, and nothing here can write to a store.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit<LiveNamespace> {
  constructor(
    private readonly live: LiveService,
    private readonly rooms: SocketIoLiveRooms,
    private readonly security: DashboardSecurity,
  ) {}

  afterInit(namespace: LiveNamespace): void {
    // Before any handler: a foreign page, or one without the admin's session where pages need it, never gets a socket.
    namespace.use(this.security.liveMiddleware());
    this.rooms.attach(namespace);
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: BrowserSocket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.live.subscribe(socket.id, payload);
  }
}
