// What the hub's pages give their scripts besides the DOM: globals set by the
// scripts the views load first, and events the DOM types do not list.
// Only for type-checking (`npm run typecheck:browser`); no page loads it.

interface DocumentEventMap {
  /** Fired on a row with `content-visibility: auto` when it starts or stops being rendered; it bubbles. */
  contentvisibilityautostatechange: ContentVisibilityAutoStateChangeEvent;
}

interface Window {
  /**
   * The socket.io client (/socket.io/socket.io.min.js, served by the hub). It
   * knows nothing of the hub's events; these are the protocol's live events.
   * Absent if the script failed to load.
   */
  io?: (uri: string) => import('socket.io-client').Socket<
    import('@hostwatch/protocol').HubToBrowserEvents,
    import('@hostwatch/protocol').BrowserToHubEvents
  >;
}
