import { z } from 'zod';
import type { AckCallback } from './events';
import { hostIdSchema } from './primitives.schema';

/**
 * socket.io namespace that browsers connect to for live pages. It is
 * read-only: a browser can only choose what to watch, never send data.
 */
export const LIVE_NAMESPACE = '/live';

/** What a page watches: the host list, or one host. */
export const liveSubscriptionSchema = z.discriminatedUnion('view', [
  z.object({ view: z.literal('list') }).strict(),
  z.object({ view: z.literal('host'), hostId: hostIdSchema }).strict(),
]);

export type LiveSubscription = z.infer<typeof liveSubscriptionSchema>;

/** One piece of server-rendered HTML that replaces the element with the same host id or section name. */
export interface LiveFragment {
  hostId: string;
  html: string;
}

/** A change of the host list page. */
export interface LiveListUpdate {
  /** The hub's clock (ms epoch), so a page can tick relative times without trusting its own clock. */
  now: number;
  /** True for the whole list, sent after a subscribe: `html` then replaces the list. */
  full: boolean;
  /** The whole list (summary and table, or the empty state); only when `full`. */
  html: string;
  /** The summary line, e.g. "3 hosts: 2 online, 1 stale, 0 offline". */
  summary: string;
  /** How many hosts the hub knows. */
  total: number;
  /** Rows of hosts that changed or appeared, rendered as table rows. */
  rows: LiveFragment[];
  /** Hosts that were forgotten. */
  removed: string[];
}

/** The series of one new snapshot: `{ [series name]: value }`. */
export interface LiveSnapshotSeries {
  ts: number;
  series: Record<string, number>;
}

/** A change of one host's page. */
export interface LiveHostUpdate {
  now: number;
  hostId: string;
  /** True when the host was forgotten: the page is no longer backed by anything. */
  removed: boolean;
  /** Rendered page sections by their section name. */
  sections: Record<string, string>;
  /** Snapshots that arrived since the last update, oldest first. */
  snapshots: LiveSnapshotSeries[];
}

/** The one thing a browser may send; it is acknowledged. Anything else is ignored. */
export interface BrowserToHubEvents {
  subscribe: (subscription: LiveSubscription, ack: AckCallback) => void;
}

export interface HubToBrowserEvents {
  list: (update: LiveListUpdate) => void;
  host: (update: LiveHostUpdate) => void;
}
