import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { LIVE_NAMESPACE, type Ack, type BrowserToHubEvents, type HubToBrowserEvents } from '@hostwatch/protocol';
import type { Socket } from 'socket.io';
import { SocketIoLiveRooms, type LiveNamespace } from '../repositories/socket-io-live-rooms.repository';
import { LiveService } from '../services/live.service';

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
  ) {}

  afterInit(namespace: LiveNamespace): void {
    this.rooms.attach(namespace);
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: BrowserSocket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.live.subscribe(socket.id, payload);
  }
}
