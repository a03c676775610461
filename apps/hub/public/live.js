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

  function tick() {
    var now = Date.now() + clockOffset;
    var times = main.querySelectorAll('[data-live-section] time[datetime]');
    for (var i = 0; i < times.length; i += 1) {
      var at = Date.parse(times[i].getAttribute('datetime'));
      if (!isNaN(at)) times[i].textContent = formatRelative(at, now);
    }
  }

  // ---- host list -----------------------------------------------------------

  function compareRows(a, b) {
    var byName = collator.compare(a.dataset.hostName || '', b.dataset.hostName || '');
    if (byName !== 0) return byName;
    var x = a.dataset.hostId || '';
    var y = b.dataset.hostId || '';
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function insertSorted(body, row) {
    for (var other = body.firstElementChild; other; other = other.nextElementSibling) {
      if (compareRows(row, other) < 0) {
        body.insertBefore(row, other);
        return;
      }
    }
    body.appendChild(row);
  }

  function upsertRow(body, html) {
    var row = element(html);
    if (!row || !row.dataset.hostId) return;
    var old = bySelectorValue(body, 'data-host-id', row.dataset.hostId);
    if (old && old.dataset.hostName === row.dataset.hostName) {
      old.replaceWith(row);
      return;
    }
    // A new host, or one whose name changed: it goes where the hub would have listed it.
    if (old) old.remove();
    insertSorted(body, row);
  }

  function applyList(update) {
    syncClock(update.now);
    if (update.full) {
      replaceSection('host-list', update.html);
      tick();
      return;
    }
    var body = document.querySelector('tbody[data-live-rows]');
    // The first host arriving, or the last leaving, switches between the table and the empty state.
    if (body ? update.total === 0 : update.total > 0) {
      subscribe();
      return;
    }
    if (!body) return;
    update.removed.forEach(function (id) {
      var row = bySelectorValue(body, 'data-host-id', id);
      if (row) row.remove();
    });
    update.rows.forEach(function (item) {
      upsertRow(body, item.html);
    });
    var summary = document.querySelector('[data-live-summary]');
    if (summary) summary.textContent = update.summary;
    tick();
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
  if (view === 'list') socket.on('list', applyList);
  if (view === 'host') socket.on('host', applyHost);

  setInterval(tick, 1000);
})();
