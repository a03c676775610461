// What the hub's pages give their scripts besides the DOM: globals set by the
// scripts the views load first, and document events the DOM types do not list.
// Only for type-checking (`npm run typecheck:browser`); no page loads it.

/**
 * uPlot's browser build (/static/vendor/uplot/uPlot.iife.min.js, loaded
 * before charts.js) declares it. charts.js checks that it is there before
 * drawing, since the script could have failed to load.
 */
// eslint-disable-next-line no-var -- a script's global is declared with var: it becomes a property of window.
declare var uPlot: typeof import('uplot');

/** A live page's snapshot as live.js passes it on to the charts. */
type HostwatchSnapshotDetail = import('@hostwatch/protocol').LiveSnapshotSeries & { hostId: string };

interface DocumentEventMap {
  /** Sent by live.js for every new snapshot of the host on the page; heard by charts.js. */
  'hostwatch:snapshot': CustomEvent<HostwatchSnapshotDetail>;
  /** Fired on a row with `content-visibility: auto` when it starts or stops being rendered; it bubbles. */
  contentvisibilityautostatechange: ContentVisibilityAutoStateChangeEvent;
}

interface Window {
  /**
   * The socket.io client (/socket.io/socket.io.min.js, served by the hub). It
   * knows nothing of the hub's events; these are the protocol's live events.
   * Absent if the script failed to load.
   */
  io?: (uri: string) => import('socket.io-client').Socket<import('@hostwatch/protocol').HubToBrowserEvents, import('@hostwatch/protocol').BrowserToHubEvents>;
}
