import type { HubToBrowserEvents } from '@hostwatch/protocol';

export type LiveEvent = keyof HubToBrowserEvents;
export type LivePayload<E extends LiveEvent> = Parameters<HubToBrowserEvents[E]>[0];

/**
 * The browsers watching live pages, grouped in rooms: one for the host list
 * and one per host. Behind an interface so that the service that decides
 * what to push is tested without sockets.
 */
export interface LiveRooms {
  /** Puts the browser in this room and out of any other, since a page watches one view. */
  join(clientId: string, room: string): void;
  /** Whether anyone watches the room, so that nothing is rendered for nobody. */
  hasMembers(room: string): boolean;
  sendToRoom<E extends LiveEvent>(room: string, event: E, payload: LivePayload<E>): void;
  sendToClient<E extends LiveEvent>(clientId: string, event: E, payload: LivePayload<E>): void;
}

export const LIVE_ROOMS = Symbol('LiveRooms');

export const LIST_ROOM = 'list';

export function hostRoom(hostId: string): string {
  return `host:${hostId}`;
}
