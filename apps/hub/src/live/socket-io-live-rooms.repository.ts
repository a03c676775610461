import { Injectable } from '@nestjs/common';
import type { BrowserToHubEvents, HubToBrowserEvents } from '@hostwatch/protocol';
import type { Namespace } from 'socket.io';
import type { LiveEvent, LivePayload, LiveRooms } from './live-rooms.repository';

export type LiveNamespace = Namespace<BrowserToHubEvents, HubToBrowserEvents>;

/** Rooms of the live namespace; the gateway hands the namespace over once socket.io has created it. */
@Injectable()
export class SocketIoLiveRooms implements LiveRooms {
  private namespace: LiveNamespace | null = null;

  attach(namespace: LiveNamespace): void {
    this.namespace = namespace;
  }

  join(clientId: string, room: string): void {
    const socket = this.namespace?.sockets.get(clientId);
    if (!socket) return;
    for (const joined of socket.rooms) {
      // socket.io keeps every socket in a room named by its own id.
      if (joined !== socket.id && joined !== room) void socket.leave(joined);
    }
    void socket.join(room);
  }

  hasMembers(room: string): boolean {
    return (this.namespace?.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  sendToRoom<E extends LiveEvent>(room: string, event: E, payload: LivePayload<E>): void {
    this.emit(this.namespace?.to(room), event, payload);
  }

  sendToClient<E extends LiveEvent>(clientId: string, event: E, payload: LivePayload<E>): void {
    this.emit(this.namespace?.sockets.get(clientId), event, payload);
  }

  private emit<E extends LiveEvent>(target: { emit(event: E, payload: LivePayload<E>): unknown } | undefined, event: E, payload: LivePayload<E>): void {
    target?.emit(event, payload);
  }
}
