import {
  LIVE_NAMESPACE,
  type Ack,
  type BrowserToHubEvents,
  type HubToBrowserEvents,
  type LiveHostUpdate,
  type LiveListUpdate,
  type LiveSubscription,
} from '@hostwatch/protocol';
import { io, type Socket } from 'socket.io-client';
import { eventually, type Cleanup } from './e2e.helpers';

export type LiveClient = Socket<HubToBrowserEvents, BrowserToHubEvents>;

/** A socket on the live namespace, as a page would open, that records every update it receives. */
export interface LiveBrowser {
  socket: LiveClient;
  lists: LiveListUpdate[];
  hosts: LiveHostUpdate[];
  subscribe(subscription: LiveSubscription | unknown): Promise<Ack>;
  /** Resolves with the first list update, at or after `from`, that passes the check. */
  waitForList(check: (update: LiveListUpdate) => boolean, from?: number, timeoutMs?: number): Promise<LiveListUpdate>;
  waitForHost(check: (update: LiveHostUpdate) => boolean, from?: number, timeoutMs?: number): Promise<LiveHostUpdate>;
}

function waitFor<T>(updates: T[], check: (update: T) => boolean, from: number, timeoutMs: number, what: string): Promise<T> {
  return eventually(async () => {
    const found = updates.slice(from).find(check);
    if (!found) throw new Error(`no ${what} update matched in ${timeoutMs} ms; got ${JSON.stringify(updates.slice(from)).slice(0, 2000)}`);
    return found;
  }, timeoutMs);
}

export function connectLive(baseUrl: string, cleanup: Cleanup): Promise<LiveBrowser> {
  const socket: LiveClient = io(`${baseUrl}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000 });
  cleanup.add(() => void socket.disconnect());
  const lists: LiveListUpdate[] = [];
  const hosts: LiveHostUpdate[] = [];
  socket.on('list', (update) => lists.push(update));
  socket.on('host', (update) => hosts.push(update));
  const browser: LiveBrowser = {
    socket,
    lists,
    hosts,
    subscribe: (subscription) => socket.timeout(5000).emitWithAck('subscribe', subscription as LiveSubscription),
    waitForList: (check, from = 0, timeoutMs = 5000) => waitFor(lists, check, from, timeoutMs, 'list'),
    waitForHost: (check, from = 0, timeoutMs = 5000) => waitFor(hosts, check, from, timeoutMs, 'host'),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(browser));
    socket.once('connect_error', (error) => reject(error));
  });
}
