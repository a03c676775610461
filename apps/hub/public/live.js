// Keeps a server-rendered Hostwatch page up to date without reloading it.
// The hub renders every change with the same templates as the page and sends
// the HTML; this script only swaps elements, so the page reads the same with
// or without it. It needs the socket.io client, served by the hub itself.
(function () {
  'use strict';

  var main = document.querySelector('main[data-live-view]');
  if (!main || typeof window.io !== 'function') return;

  var root = document.documentElement;
  var view = main.dataset.liveView;
  var hostId = main.dataset.hostId || '';
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

  function setState(state) {
    root.dataset.live = state;
    if (!indicator) return;
    indicator.hidden = false;
    indicator.textContent = STATES[state].text;
    indicator.title = STATES[state].title;
    indicator.className = 'live-indicator live-' + state;
  }

  function syncClock(hubNow) {
    if (typeof hubNow === 'number' && isFinite(hubNow)) clockOffset = hubNow - Date.now();
  }

  /** The first element of a piece of HTML rendered by the hub. */
  function element(html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  function bySelectorValue(scope, attribute, value) {
    return scope.querySelector('[' + attribute + '="' + CSS.escape(value) + '"]');
  }

  /** Replaces an element, keeping the horizontal scroll of its wide tables. */
  function swap(old, replacement) {
    var scrolled = old.querySelectorAll('.table-wrap');
    var offsets = [];
    for (var i = 0; i < scrolled.length; i += 1) offsets.push(scrolled[i].scrollLeft);
    old.replaceWith(replacement);
    var wraps = replacement.querySelectorAll('.table-wrap');
    for (var j = 0; j < wraps.length && j < offsets.length; j += 1) wraps[j].scrollLeft = offsets[j];
  }

  function replaceSection(name, html) {
    var old = bySelectorValue(document, 'data-live-section', name);
    var replacement = element(html);
    if (old && replacement) swap(old, replacement);
  }

  // ---- relative times ------------------------------------------------------

  function formatAge(ms) {
    var seconds = Math.floor(ms / 1000);
    if (seconds < 60) return seconds + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min';
    if (seconds < 86400) return Math.floor(seconds / 3600) + ' h';
    return Math.floor(seconds / 86400) + ' d';
  }

  function formatRelative(at, now) {
    var diff = now - at;
    if (Math.abs(diff) < 1000) return 'just now';
    return diff > 0 ? formatAge(diff) + ' ago' : 'in ' + formatAge(-diff);
  }

  function tickWithin(scope, now) {
    var times = scope.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i += 1) {
      var at = Date.parse(times[i].getAttribute('datetime'));
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
    var sections = main.querySelectorAll('[data-live-section]');
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
  var rowsById = new Map();
  var pendingRows = new Map();
  var inView = new Set();
  var watching = 'none';
  var observer = null;
  var drainScheduled = false;

  /** Picks how to learn which rows are on the screen, once the first row is there to ask. */
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

  function onRenderingChange(event) {
    var row = event.target;
    var id = row.dataset && row.dataset.hostId;
    if (!id) return;
    seeRow(row, id, !event.skipped, Date.now() + clockOffset);
  }

  function rowsBody() {
    return document.querySelector('tbody[data-live-rows]');
  }

  function compareRows(a, b) {
    var byName = collator.compare(a.dataset.hostName || '', b.dataset.hostName || '');
    if (byName !== 0) return byName;
    var x = a.dataset.hostId || '';
    var y = b.dataset.hostId || '';
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** Puts a row where the hub would have listed it; the rows are in order, so a binary search finds the place. */
  function insertSorted(body, row) {
    var rows = body.children;
    var low = 0;
    var high = rows.length;
    while (low < high) {
      var middle = (low + high) >>> 1;
      if (compareRows(rows[middle], row) <= 0) low = middle + 1;
      else high = middle;
    }
    body.insertBefore(row, rows[low] || null);
  }

  function track(row) {
    chooseWatch(row);
    rowsById.set(row.dataset.hostId, row);
    if (observer) observer.observe(row);
  }

  function untrack(row) {
    if (observer) observer.unobserve(row);
    if (rowsById.get(row.dataset.hostId) === row) rowsById.delete(row.dataset.hostId);
  }

  /** Starts over from the rows in the page: after it loads, and after the whole list was replaced. */
  function indexRows() {
    if (observer) observer.disconnect();
    rowsById.clear();
    inView.clear();
    var body = rowsBody();
    if (!body) return;
    chooseWatch(body.firstElementChild);
    for (var row = body.firstElementChild; row; row = row.nextElementSibling) {
      if (!row.dataset.hostId) continue;
      track(row);
      // Rows rendered before this script listened said so to nobody: ask each once. A row's own
      // box is there either way; its first cell is what goes unrendered out of sight.
      if (watching === 'rendering' && row.firstElementChild && row.firstElementChild.checkVisibility({ contentVisibilityAuto: true })) {
        inView.add(row.dataset.hostId);
      }
    }
  }

  function onIntersect(entries) {
    var now = Date.now() + clockOffset;
    entries.forEach(function (entry) {
      seeRow(entry.target, entry.target.dataset.hostId, entry.isIntersecting, now);
    });
  }

  /** A row came near the screen or left it. */
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

  /** Whether a waiting row should be swapped now: it is new, or on the screen, or this browser cannot tell. */
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
    var listed = new Set();
    var incoming = [];
    for (var row = rows.firstElementChild; row; row = row.nextElementSibling) {
      if (row.dataset.hostId) incoming.push(row);
    }
    incoming.forEach(function (row) {
      listed.add(row.dataset.hostId);
      pendingRows.set(row.dataset.hostId, row);
    });
    Array.from(rowsById.keys()).forEach(function (id) {
      if (!listed.has(id)) removeRow(id);
    });
    var summary = document.querySelector('[data-live-summary]');
    var newSummary = replacement.querySelector('[data-live-summary]');
    if (summary && newSummary) summary.textContent = newSummary.textContent;
    scheduleDrain();
  }

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
      document.dispatchEvent(
        new CustomEvent('hostwatch:snapshot', { detail: { hostId: update.hostId, ts: snapshot.ts, series: snapshot.series } }),
      );
    });
    tick();
  }

  // ---- connection ----------------------------------------------------------

  setState('connecting');
  var socket = window.io('/live');

  function subscribe() {
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
  socket.on('connect_error', function (error) {
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
