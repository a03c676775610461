import { ackOk, type Ack, type HostFacts, type Snapshot } from '@hostwatch/protocol';
import { LinkError, type HubLink, type HubLinkHandlers, type RefusalCode } from '../link/hub-link';

export type Sent = { event: 'facts'; payload: HostFacts } | { event: 'snapshot'; payload: Snapshot };

/** A hub link driven by the test: it connects, drops and refuses on command and records what was sent. */
export class FakeLink implements HubLink {
  readonly sent: Sent[] = [];
  opened = false;
  closed = false;
  /** How the hub answers each message; by default it acks everything. */
  respond: (sent: Sent) => Promise<Ack> = async () => ackOk();
  private handlers: HubLinkHandlers | null = null;
  private connected = false;

  open(handlers: HubLinkHandlers): void {
    this.opened = true;
    this.handlers = handlers;
  }

  close(): void {
    this.closed = true;
    this.connected = false;
  }

  isConnected(): boolean {
    return this.connected;
  }

  sendFacts(facts: HostFacts): Promise<Ack> {
    return this.send({ event: 'facts', payload: facts });
  }

  sendSnapshot(snapshot: Snapshot): Promise<Ack> {
    return this.send({ event: 'snapshot', payload: snapshot });
  }

  connect(): void {
    this.connected = true;
    this.requireHandlers().connected();
  }

  drop(): void {
    this.connected = false;
    this.requireHandlers().disconnected('transport close');
  }

  refuse(code: RefusalCode, message = 'no'): void {
    this.requireHandlers().refused({ code, message });
  }

  snapshotSeqs(): number[] {
    return this.sent.flatMap((entry) => (entry.event === 'snapshot' ? [entry.payload.seq] : []));
  }

  events(): string[] {
    return this.sent.map((entry) => entry.event);
  }

  private send(sent: Sent): Promise<Ack> {
    if (!this.connected) return Promise.reject(new LinkError('not connected'));
    this.sent.push(sent);
    return this.respond(sent);
  }

  private requireHandlers(): HubLinkHandlers {
    if (!this.handlers) throw new Error('the link was never opened');
    return this.handlers;
  }
}
