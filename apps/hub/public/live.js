// @ts-check
// Keeps a server-rendered Hostwatch page up to date without reloading it.
// The hub renders every change with the same templates as the page and sends
// the HTML; this script only swaps elements, so the page reads the same with
// or without it. It needs the socket.io client, served by the hub itself.
(function () {
  'use strict';

  /** @typedef {import('@hostwatch/protocol').LiveListUpdate} LiveListUpdate */
  /** @typedef {import('@hostwatch/protocol').LiveHostUpdate} LiveHostUpdate */
  /** @typedef {import('@hostwatch/protocol').LiveSubscription} LiveSubscription */
  // The hub's pages are HTML, so the elements found here are HTMLElements; where
  // the DOM's types say only Element, a cast says so.

  /** @type {HTMLElement | null} */
  var main = document.querySelector('main[data-live-view]');
  if (!main || typeof window.io !== 'function') return;

  var root = document.documentElement;
  var view = main.dataset.liveView;
  var hostId = main.dataset.hostId || '';
  /** @type {HTMLElement | null} */
  var indicator = document.querySelector('[data-live-indicator]');
  // The same order as the hub's: natural, so web-2 sorts before web-10.
  var collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  var STATES = {
    connecting: { text: 'connecting', title: 'Connecting to the hub for live updates' },
    live: { text: 'live', title: 'This page updates by itself' },
    reconnecting: { text: 'reconnecting', title: 'Lost the hub; values may be out of date until it is back' },
  };
  var RETRY_MS = 5000;
  var ACK_TIMEOUT_MS = 10000;
  // How far the hub's clock is ahead of this browser's, so relative times match what the hub would write.
  var clockOffset = 0;

  /** @param {keyof typeof STATES} state */
  function setState(state) {
    root.dataset.live = state;
    if (!indicator) return;
    indicator.hidden = false;
    indicator.textContent = STATES[state].text;
    indicator.title = STATES[state].title;
    indicator.className = 'live-indicator live-' + state;
  }

  /** @param {unknown} hubNow */
  function syncClock(hubNow) {
    if (typeof hubNow === 'number' && isFinite(hubNow)) clockOffset = hubNow - Date.now();
  }

  /**
   * The first element of a piece of HTML rendered by the hub.
   * @param {string} html
   */
  function element(html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    return /** @type {HTMLElement | null} */ (template.content.firstElementChild);
  }

  /**
   * @param {ParentNode} scope
   * @param {string} attribute
   * @param {string} value
   */
  function bySelectorValue(scope, attribute, value) {
    return scope.querySelector('[' + attribute + '="' + CSS.escape(value) + '"]');
  }

  /**
   * Replaces an element, keeping the horizontal scroll of its wide tables.
   * @param {Element} old
   * @param {Element} replacement
   */
  function swap(old, replacement) {
    var scrolled = old.querySelectorAll('.table-wrap');
    var offsets = [];
    for (var i = 0; i < scrolled.length; i += 1) offsets.push(scrolled[i].scrollLeft);
    old.replaceWith(replacement);
    var wraps = replacement.querySelectorAll('.table-wrap');
    for (var j = 0; j < wraps.length && j < offsets.length; j += 1) wraps[j].scrollLeft = offsets[j];
  }

  /**
   * @param {string} name
   * @param {string} html
   */
  function replaceSection(name, html) {
    var old = bySelectorValue(document, 'data-live-section', name);
    var replacement = element(html);
    if (old && replacement) swap(old, replacement);
  }

  // ---- relative times ------------------------------------------------------

  /** @param {number} ms */
  function formatAge(ms) {
    var seconds = Math.floor(ms / 1000);
    if (seconds < 60) return seconds + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min';
    if (seconds < 86400) return Math.floor(seconds / 3600) + ' h';
    return Math.floor(seconds / 86400) + ' d';
  }

  /**
   * @param {number} at
   * @param {number} now
   */
  function formatRelative(at, now) {
    var diff = now - at;
    if (Math.abs(diff) < 1000) return 'just now';
    return diff > 0 ? formatAge(diff) + ' ago' : 'in ' + formatAge(-diff);
  }

  /**
   * @param {ParentNode} scope
   * @param {number} now
   */
  function tickWithin(scope, now) {
    var times = scope.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i += 1) {
      // The selector asks for the attribute, so it is never missing; Date.parse('') is NaN as well.
      var at = Date.parse(times[i].getAttribute('datetime') || '');
      if (isNaN(at)) continue;
      var text = formatRelative(at, now);
      // Unchanged text is not written: every write is layout work for the browser.
      if (times[i].textContent !== text) times[i].textContent = text;
    }
  }

  /** Relative times once a second; on the list only in rows on the screen, the others catch up as they scroll in. */
  function tick() {
    var now = Date.now() + clockOffset;
    if (view === 'list' && (watching === 'rendering' || watching === 'intersection')) {
      inView.forEach(function (id) {
        var row = rowsById.get(id);
        if (row) tickWithin(row, now);
      });
      return;
    }
    // Without `main` the script stopped at its first lines.
    var sections = /** @type {HTMLElement} */ (main).querySelectorAll('[data-live-section]');
    for (var i = 0; i < sections.length; i += 1) tickWithin(sections[i], now);
  }

  // ---- host list -----------------------------------------------------------
  // A fleet of a thousand hosts changes about a thousand rows a second. The
  // newest HTML of each row waits in `pendingRows` (one entry per host, so it
  // never grows past the fleet), and rows are swapped in slices of a few
  // milliseconds so that the page keeps answering. A row out of sight waits
  // until it comes near the screen: swapping it would cost work for nothing,
  // while keeping it costs nothing, and every host stays in the page for the
  // browser's find.
  //
  // Which rows are near the screen: the stylesheet gives each row
  // `content-visibility: auto`, so the browser itself tells when a row starts
  // or stops being rendered. Where it cannot (an older browser, or no
  // stylesheet), an IntersectionObserver tells; without either, every row is due.

  var SLICE_MS = 8;
  // For the IntersectionObserver: rows this close to the screen count as on it.
  var NEAR = '300px 0px';
  // Rows are kept by their host id; only rows that have one are tracked.
  /** @type {Map<string, HTMLElement>} */
  var rowsById = new Map();
  /** @type {Map<string, string | HTMLElement>} */
  var pendingRows = new Map();
  /** @type {Set<string>} */
  var inView = new Set();
  /** @type {'none' | 'rendering' | 'intersection' | 'all'} */
  var watching = 'none';
  /** @type {IntersectionObserver | null} */
  var observer = null;
  var drainScheduled = false;

  /**
   * Picks how to learn which rows are on the screen, once the first row is there to ask.
   * @param {Element | null} sample
   */
  function chooseWatch(sample) {
    if (watching !== 'none' || !sample) return;
    var autoVisibility = getComputedStyle(sample).contentVisibility === 'auto';
    if (autoVisibility && typeof window.ContentVisibilityAutoStateChangeEvent === 'function') {
      watching = 'rendering';
      // The event bubbles: one listener hears every row.
      document.addEventListener('contentvisibilityautostatechange', onRenderingChange);
    } else if (typeof window.IntersectionObserver === 'function') {
      watching = 'intersection';
      observer = new window.IntersectionObserver(onIntersect, { rootMargin: NEAR });
    } else {
      watching = 'all';
    }
  }

  /** @param {ContentVisibilityAutoStateChangeEvent} event */
  function onRenderingChange(event) {
    var row = /** @type {HTMLElement} */ (event.target);
    var id = row.dataset && row.dataset.hostId;
    if (!id) return;
    seeRow(row, id, !event.skipped, Date.now() + clockOffset);
  }

  /** @returns {HTMLTableSectionElement | null} */
  function rowsBody() {
    return document.querySelector('tbody[data-live-rows]');
  }

  /**
   * @param {HTMLElement} a
   * @param {HTMLElement} b
   */
  function compareRows(a, b) {
    var byName = collator.compare(a.dataset.hostName || '', b.dataset.hostName || '');
    if (byName !== 0) return byName;
    var x = a.dataset.hostId || '';
    var y = b.dataset.hostId || '';
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /**
   * Puts a row where the hub would have listed it; the rows are in order, so a binary search finds the place.
   * @param {HTMLTableSectionElement} body
   * @param {HTMLElement} row
   */
  function insertSorted(body, row) {
    var rows = /** @type {HTMLCollectionOf<HTMLElement>} */ (body.children);
    var low = 0;
    var high = rows.length;
    while (low < high) {
      var middle = (low + high) >>> 1;
      if (compareRows(rows[middle], row) <= 0) low = middle + 1;
      else high = middle;
    }
    body.insertBefore(row, rows[low] || null);
  }

  /** @param {HTMLElement} row a row with a host id */
  function track(row) {
    chooseWatch(row);
    rowsById.set(/** @type {string} */ (row.dataset.hostId), row);
    if (observer) observer.observe(row);
  }

  /** @param {HTMLElement} row a row with a host id */
  function untrack(row) {
    var id = /** @type {string} */ (row.dataset.hostId);
    if (observer) observer.unobserve(row);
    if (rowsById.get(id) === row) rowsById.delete(id);
  }

  /** Starts over from the rows in the page: after it loads, and after the whole list was replaced. */
  function indexRows() {
    if (observer) observer.disconnect();
    rowsById.clear();
    inView.clear();
    var body = rowsBody();
    if (!body) return;
    chooseWatch(body.firstElementChild);
    for (var row = /** @type {HTMLElement | null} */ (body.firstElementChild); row; row = /** @type {HTMLElement | null} */ (row.nextElementSibling)) {
      if (!row.dataset.hostId) continue;
      track(row);
      // Rows rendered before this script listened said so to nobody: ask each once. A row's own
      // box is there either way; its first cell is what goes unrendered out of sight.
      if (watching === 'rendering' && row.firstElementChild && row.firstElementChild.checkVisibility({ contentVisibilityAuto: true })) {
        inView.add(row.dataset.hostId);
      }
    }
  }

  /** @param {IntersectionObserverEntry[]} entries */
  function onIntersect(entries) {
    var now = Date.now() + clockOffset;
    entries.forEach(function (entry) {
      // Only tracked rows are observed.
      var row = /** @type {HTMLElement} */ (entry.target);
      seeRow(row, /** @type {string} */ (row.dataset.hostId), entry.isIntersecting, now);
    });
  }

  /**
   * A row came near the screen or left it.
   * @param {HTMLElement} row
   * @param {string} id
   * @param {boolean} near
   * @param {number} now
   */
  function seeRow(row, id, near, now) {
    // A row that was swapped out reports leaving; its replacement reports for itself.
    if (rowsById.get(id) !== row) return;
    if (!near) {
      inView.delete(id);
      return;
    }
    inView.add(id);
    tickWithin(row, now);
    if (pendingRows.has(id)) scheduleDrain();
  }

  /**
   * Whether a waiting row should be swapped now: it is new, or on the screen, or this browser cannot tell.
   * @param {string} id
   */
  function isDue(id) {
    return watching === 'all' || inView.has(id) || !rowsById.has(id);
  }

  function scheduleDrain() {
    if (drainScheduled) return;
    drainScheduled = true;
    setTimeout(drain, 0);
  }

  /** Swaps waiting rows that are due until the slice is used up, then yields and comes back for the rest. */
  function drain() {
    drainScheduled = false;
    var body = rowsBody();
    if (!body) {
      pendingRows.clear();
      return;
    }
    var deadline = performance.now() + SLICE_MS;
    var now = Date.now() + clockOffset;
    var ids = pendingRows.keys();
    for (var step = ids.next(); !step.done; step = ids.next()) {
      var id = step.value;
      if (!isDue(id)) continue;
      var html = pendingRows.get(id);
      pendingRows.delete(id);
      applyRow(body, id, html, now);
      if (performance.now() >= deadline) {
        scheduleDrain();
        return;
      }
    }
  }

  /**
   * @param {HTMLTableSectionElement} body
   * @param {string} id
   * @param {string | HTMLElement | undefined} html the row, or its HTML
   * @param {number} now
   */
  function applyRow(body, id, html, now) {
    var row = typeof html === 'string' ? element(html) : html;
    if (!row || row.dataset.hostId !== id) return;
    var old = rowsById.get(id);
    if (old) untrack(old);
    if (old && old.parentNode === body && old.dataset.hostName === row.dataset.hostName) {
      old.replaceWith(row);
    } else {
      // A new host, or one whose name changed: it goes where the hub would have listed it.
      if (old) old.remove();
      insertSorted(body, row);
    }
    track(row);
    tickWithin(row, now);
  }

  /** @param {string} id */
  function removeRow(id) {
    pendingRows.delete(id);
    inView.delete(id);
    var row = rowsById.get(id);
    if (!row) return;
    untrack(row);
    row.remove();
  }

  /**
   * The whole list, after a subscribe. Where the page already shows a table,
   * its rows are taken as waiting updates rather than swapped all at once, so
   * a page that (re)subscribes does not lay out a thousand new rows in one go.
   * @param {string} html
   */
  function applyFullList(html) {
    var replacement = element(html);
    var body = rowsBody();
    var rows = replacement && replacement.querySelector('tbody[data-live-rows]');
    if (!replacement || !body || !rows) {
      replaceSection('host-list', html);
      pendingRows.clear();
      indexRows();
      return;
    }
    /** @type {Set<string>} */
    var listed = new Set();
    /** @type {HTMLElement[]} */
    var incoming = [];
    for (var row = /** @type {HTMLElement | null} */ (rows.firstElementChild); row; row = /** @type {HTMLElement | null} */ (row.nextElementSibling)) {
      if (row.dataset.hostId) incoming.push(row);
    }
    incoming.forEach(function (row) {
      var id = /** @type {string} */ (row.dataset.hostId);
      listed.add(id);
      pendingRows.set(id, row);
    });
    Array.from(rowsById.keys()).forEach(function (id) {
      if (!listed.has(id)) removeRow(id);
    });
    var summary = document.querySelector('[data-live-summary]');
    var newSummary = replacement.querySelector('[data-live-summary]');
    if (summary && newSummary) summary.textContent = newSummary.textContent;
    scheduleDrain();
  }

  /** @param {LiveListUpdate} update */
  function applyList(update) {
    syncClock(update.now);
    if (update.full) {
      applyFullList(update.html);
      return;
    }
    var body = rowsBody();
    // The first host arriving, or the last leaving, switches between the table and the empty state.
    if (body ? update.total === 0 : update.total > 0) {
      subscribe();
      return;
    }
    if (!body) return;
    update.removed.forEach(removeRow);
    update.rows.forEach(function (item) {
      pendingRows.set(item.hostId, item.html);
    });
    var summary = document.querySelector('[data-live-summary]');
    if (summary && summary.textContent !== update.summary) summary.textContent = update.summary;
    scheduleDrain();
  }

  // ---- host page -----------------------------------------------------------

  function showRemoved() {
    var notices = bySelectorValue(document, 'data-live-section', 'host-notices');
    if (!notices || notices.querySelector('.notice-removed')) return;
    var notice = document.createElement('p');
    notice.className = 'notice notice-removed';
    notice.textContent = 'This host was removed from the hub. What you see is its last known state.';
    notices.appendChild(notice);
  }

  /** @param {LiveHostUpdate} update */
  function applyHost(update) {
    if (update.hostId !== hostId) return;
    syncClock(update.now);
    if (update.removed) {
      showRemoved();
      return;
    }
    Object.keys(update.sections).forEach(function (name) {
      replaceSection(name, update.sections[name]);
    });
    update.snapshots.forEach(function (snapshot) {
      document.dispatchEvent(new CustomEvent('hostwatch:snapshot', { detail: { hostId: update.hostId, ts: snapshot.ts, series: snapshot.series } }));
    });
    tick();
  }

  // ---- connection ----------------------------------------------------------

  setState('connecting');
  var socket = window.io('/live');

  function subscribe() {
    /** @type {LiveSubscription} */
    var subscription = view === 'host' ? { view: 'host', hostId: hostId } : { view: 'list' };
    socket.timeout(ACK_TIMEOUT_MS).emit('subscribe', subscription, function (error, ack) {
      if (!socket.connected) return;
      if (!error && ack && ack.ok) {
        setState('live');
        return;
      }
      // The hub was busy or failed to read its state: ask again rather than show a stale page as live.
      setTimeout(function () {
        if (socket.connected) subscribe();
      }, RETRY_MS);
    });
  }

  // Every connect, the first and each after the hub restarted, subscribes again and gets the whole view.
  socket.on('connect', subscribe);
  socket.on('disconnect', function (reason) {
    setState('reconnecting');
    // socket.io does not retry by itself when the server closed the connection on purpose.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', function (/** @type {Error & { data?: { code?: unknown } }} */ error) {
    // The hub wants a sign-in (a session that ended, say): go and sign in, then come back here.
    if (error && error.data && error.data.code === 'unauthorized') {
      window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname + window.location.search));
      return;
    }
    setState('reconnecting');
  });
  if (view === 'list') {
    indexRows();
    socket.on('list', applyList);
  }
  if (view === 'host') socket.on('host', applyHost);

  setInterval(tick, 1000);
})();
