import type { LiveEvent, LivePayload, LiveRooms } from '../live/live-rooms.repository';

export interface SentMessage {
  to: { room: string } | { client: string };
  event: LiveEvent;
  payload: LivePayload<LiveEvent>;
}

/** Rooms in memory that record what was sent where. */
export class FakeLiveRooms implements LiveRooms {
  readonly members = new Map<string, string>();
  readonly sent: SentMessage[] = [];

  join(clientId: string, room: string): void {
    this.members.set(clientId, room);
  }

  leave(clientId: string): void {
    this.members.delete(clientId);
  }

  hasMembers(room: string): boolean {
    return [...this.members.values()].includes(room);
  }

  sendToRoom<E extends LiveEvent>(room: string, event: E, payload: LivePayload<E>): void {
    this.sent.push({ to: { room }, event, payload });
  }

  sendToClient<E extends LiveEvent>(clientId: string, event: E, payload: LivePayload<E>): void {
    this.sent.push({ to: { client: clientId }, event, payload });
  }

  /** Takes what was sent so far, so that a test step sees only its own messages. */
  take(): SentMessage[] {
    return this.sent.splice(0);
  }
}
