/*
 * History charts on the host page, drawn with uPlot (global `uPlot`, loaded before this file).
 * The page is rendered server-side; this script only fills the charts section,
 * so the rest of the page works without it.
 */
(function () {
  'use strict';

  const HOUR = 3600 * 1000;
  const DAY = 24 * HOUR;
  const RANGES = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '1y': 365 * DAY };
  const DEFAULT_RANGE = '1h';
  const MAX_POINTS = 1000;
  const MIN_POINTS = 60;
  const PALETTE_SIZE = 8;
  // A pause longer than this many usual steps is drawn as a gap, not a straight line across it.
  const GAP_FACTOR = 3;
  const RELOAD_DELAY_MS = 1000;
  const NO_VALUE = '–';
  const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

  /* ---------- formatting ---------- */

  function trimmed(value, digits) {
    return String(Number(value.toFixed(digits)));
  }

  /** Binary units, as the rest of the dashboard shows sizes. */
  function formatBytes(value, digits) {
    let scaled = Math.abs(value);
    let unit = 0;
    while (scaled >= 1024 && unit < BYTE_UNITS.length - 1) {
      scaled /= 1024;
      unit += 1;
    }
    const sign = value < 0 ? '-' : '';
    return `${sign}${unit === 0 ? Math.round(scaled) : trimmed(scaled, digits)} ${BYTE_UNITS[unit]}`;
  }

  function formatValue(unit, value, forAxis) {
    if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
    switch (unit) {
      case '%':
        return `${forAxis ? trimmed(value, 1) : value.toFixed(1)}%`;
      case 'bytes':
        return formatBytes(value, forAxis ? 1 : 2);
      case 'bytes/s':
        return `${formatBytes(value, forAxis ? 1 : 2)}/s`;
      case '°C':
        return `${forAxis ? trimmed(value, 1) : value.toFixed(1)} °C`;
      default:
        return forAxis ? trimmed(value, 2) : value.toFixed(2);
    }
  }

  function formatTime(seconds) {
    if (seconds === null || seconds === undefined) return NO_VALUE;
    return new Date(seconds * 1000).toLocaleString(undefined, {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Tick steps for byte axes in powers of two, so ticks read 512 KiB, 1 MiB, 1.5 MiB rather than 1000 KiB. */
  const BYTE_INCREMENTS = (function () {
    const steps = [];
    for (let power = 0; power < BYTE_UNITS.length; power += 1) {
      for (const base of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) steps.push(base * Math.pow(1024, power));
    }
    return steps;
  })();

  /* ---------- which series each chart shows ---------- */

  function instanceOf(name, prefix) {
    return name.startsWith(prefix) ? name.slice(prefix.length) : null;
  }

  function fixed(names, wanted) {
    return wanted.filter((entry) => names.has(entry.name)).map((entry, index) => ({ ...entry, color: index }));
  }

  function interfaceSeries(names) {
    const interfaces = new Set();
    for (const name of names) {
      const nic = instanceOf(name, 'net.rx:') ?? instanceOf(name, 'net.tx:');
      // Loopback traffic never leaves the host, so it is left out of the chart.
      if (nic !== null && nic !== 'lo') interfaces.add(nic);
    }
    const series = [];
    for (const nic of Array.from(interfaces).sort()) {
      // The host names its interfaces: the name is set apart (first-strong isolate) so its bidi controls stay in it.
      const shown = `\u2068${nic}\u2069`;
      if (names.has(`net.rx:${nic}`)) series.push({ name: `net.rx:${nic}`, label: `${shown} in` });
      if (names.has(`net.tx:${nic}`)) series.push({ name: `net.tx:${nic}`, label: `${shown} out`, dash: true });
    }
    return series.map((entry, index) => ({ ...entry, color: index }));
  }

  function temperatureSeries(names) {
    const main = fixed(names, [
      { name: 'temp.cpu', label: 'CPU' },
      { name: 'temp.cpu.max', label: 'CPU max' },
    ]);
    if (main.length > 0) return main;
    // Per-core sensors only where the host has no package sensor: a many-core legend would bury the chart.
    const cores = [];
    for (const name of names) {
      const core = instanceOf(name, 'temp.core:');
      if (core !== null) cores.push(Number(core));
    }
    return cores
      .sort((a, b) => a - b)
      .map((core, index) => ({ name: `temp.core:${core}`, label: `Core ${core}`, color: index }));
  }

  const CHARTS = {
    cpu: {
      unit: '%',
      fill: true,
      fixedRange: [0, 100],
      series: (names) => fixed(names, [{ name: 'cpu', label: 'CPU' }]),
    },
    load: {
      unit: 'load',
      series: (names) =>
        fixed(names, [
          { name: 'load.1', label: '1 min' },
          { name: 'load.5', label: '5 min' },
          { name: 'load.15', label: '15 min' },
        ]),
    },
    memory: {
      unit: 'bytes',
      series: (names) =>
        fixed(names, [
          { name: 'memory.used', label: 'Used' },
          { name: 'memory.available', label: 'Available' },
          { name: 'swap.used', label: 'Swap used' },
        ]),
    },
    network: { unit: 'bytes/s', series: interfaceSeries, emptyText: 'No network interfaces to chart besides loopback.' },
    disk: {
      unit: 'bytes/s',
      series: (names) =>
        fixed(names, [
          { name: 'disk.read', label: 'Read' },
          { name: 'disk.write', label: 'Write' },
        ]),
    },
    temperatures: {
      unit: '°C',
      series: temperatureSeries,
      emptyText: 'Temperatures not available: the host reports no sensors.',
    },
  };

  /* ---------- data ---------- */

  /** Typical spacing of a series, so that only real pauses become gaps. */
  function typicalStep(xs) {
    if (xs.length < 2) return null;
    const steps = [];
    for (let i = 1; i < xs.length; i += 1) steps.push(xs[i] - xs[i - 1]);
    steps.sort((a, b) => a - b);
    return steps[Math.floor(steps.length / 2)];
  }

  /** [[xs], [ys]] in seconds, with a null between points further apart than a few usual steps. */
  function toTable(points, step) {
    const xs = [];
    const ys = [];
    let previous = null;
    for (const [ts, value] of points) {
      const x = ts / 1000;
      if (previous !== null && step !== null && x - previous > step * GAP_FACTOR) {
        xs.push(previous + step);
        ys.push(null);
      }
      xs.push(x);
      ys.push(value);
      previous = x;
    }
    return [xs, ys];
  }

  function joinTables(tables) {
    if (tables.length === 1) return tables[0];
    return uPlot.join(tables);
  }

  function hasValues(data) {
    for (let s = 1; s < data.length; s += 1) {
      if (data[s].some((value) => value !== null && value !== undefined)) return true;
    }
    return false;
  }

  async function getJson(url, signal) {
    const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const message = body && typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
      throw new Error(message);
    }
    return body;
  }

  /* ---------- colours ---------- */

  function readTheme(element) {
    const style = getComputedStyle(element);
    const read = (name) => style.getPropertyValue(name).trim();
    const palette = [];
    for (let i = 1; i <= PALETTE_SIZE; i += 1) palette.push(read(`--chart-${i}`));
    return { axis: read('--chart-axis'), grid: read('--chart-grid'), palette };
  }

  function translucent(color, alpha) {
    const hex = /^#([0-9a-f]{6})$/i.exec(color);
    if (!hex) return color;
    const value = parseInt(hex[1], 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }

  /* ---------- the charts section ---------- */

  /** Away from the cursor the legend shows the newest values rather than dashes. */
  function showLatest(u) {
    if (u.cursor.idx !== null && u.cursor.idx !== undefined) return;
    const last = u.data[0].length - 1;
    if (last >= 0) u.setLegend({ idx: last });
  }

  function plotHeight() {
    return window.matchMedia('(max-width: 480px)').matches ? 170 : 200;
  }

  class Chart {
    constructor(key, element, page) {
      this.key = key;
      this.def = CHARTS[key];
      this.page = page;
      this.element = element;
      this.plotBox = element.querySelector('.chart-plot');
      this.note = element.querySelector('.chart-note');
      this.series = [];
      this.plot = null;
      this.data = null;
      this.step = null;
      this.signature = '';
      this.width = 0;
      this.resizeObserver = new ResizeObserver(() => this.fitWidth());
      this.resizeObserver.observe(this.plotBox);
    }

    setNames(names) {
      this.series = this.def.series(names);
    }

    /** Points to ask for: about one per pixel, as more could not be drawn. */
    pointsWanted() {
      const width = Math.round(this.plotBox.clientWidth || this.element.clientWidth || MAX_POINTS);
      return Math.max(MIN_POINTS, Math.min(MAX_POINTS, width));
    }

    showNote(text, isError) {
      this.note.textContent = text;
      this.note.classList.toggle('is-error', Boolean(isError));
      this.note.hidden = false;
      this.plotBox.hidden = true;
      this.element.dataset.state = isError ? 'error' : 'empty';
    }

    async load(span, signal) {
      if (this.series.length === 0) {
        this.data = null;
        this.destroyPlot();
        this.showNote(this.page.names.size === 0 ? 'No data yet.' : (this.def.emptyText ?? 'No data yet.'));
        return;
      }
      const points = this.pointsWanted();
      const answers = await Promise.all(
        this.series.map((series) => {
          const query = new URLSearchParams({
            metric: series.name,
            from: String(span.from),
            to: String(span.to),
            points: String(points),
          });
          return getJson(`${this.page.historyUrl}?${query}`, signal);
        }),
      );
      if (signal.aborted) return;
      const steps = answers.map((answer) => typicalStep(answer.points.map((point) => point[0] / 1000))).filter((s) => s !== null);
      this.step = steps.length > 0 ? Math.min(...steps) : null;
      this.data = joinTables(answers.map((answer) => toTable(answer.points, this.step)));
      this.render();
    }

    fail(message) {
      this.destroyPlot();
      this.showNote(`Could not load the history: ${message}`, true);
    }

    /** Adds the live sample when it is due, and drops what slid out of the window. */
    append(ts, values, span, appendEvery) {
      if (this.series.length === 0) return;
      if (!this.data) this.data = [[], ...this.series.map(() => [])];
      const xs = this.data[0];
      const x = ts / 1000;
      const last = xs.length > 0 ? xs[xs.length - 1] : null;
      const row = this.series.map((series) => (typeof values[series.name] === 'number' ? values[series.name] : null));
      if (last !== null && x <= last) return;
      if (last !== null && x - last < appendEvery / 1000) return;
      if (row.every((value) => value === null)) return;
      if (last !== null && this.step !== null && x - last > this.step * GAP_FACTOR) {
        xs.push(last + this.step);
        for (let s = 1; s < this.data.length; s += 1) this.data[s].push(null);
      }
      xs.push(x);
      row.forEach((value, index) => this.data[index + 1].push(value));
      if (this.step === null) this.step = typicalStep(xs);
      this.trim(span.from / 1000);
      this.render();
    }

    trim(fromSeconds) {
      const xs = this.data[0];
      let first = 0;
      while (first < xs.length && xs[first] < fromSeconds) first += 1;
      if (first > 0) this.data = this.data.map((column) => column.slice(first));
    }

    render() {
      if (!this.data || !hasValues(this.data)) {
        this.destroyPlot();
        this.showNote('No data yet.');
        return;
      }
      this.note.hidden = true;
      this.plotBox.hidden = false;
      const signature = `${this.series.map((series) => series.name).join('|')}#${this.page.themeVersion}`;
      if (this.plot && signature === this.signature) {
        this.plot.setData(this.data);
      } else {
        this.destroyPlot();
        this.signature = signature;
        this.plot = new uPlot(this.options(), this.data, this.plotBox);
      }
      this.element.dataset.state = 'drawn';
      this.element.dataset.points = String(this.data[0].length);
    }

    rebuild() {
      if (this.plot) {
        this.destroyPlot();
        this.render();
      }
    }

    destroyPlot() {
      if (this.plot) {
        this.plot.destroy();
        this.plot = null;
      }
    }

    fitWidth() {
      const width = this.plotBox.clientWidth;
      if (!this.plot || width === 0 || width === this.width) return;
      this.width = width;
      this.plot.setSize({ width, height: plotHeight() });
    }

    options() {
      const unit = this.def.unit;
      const theme = readTheme(this.page.root);
      const page = this.page;
      const axis = {
        stroke: theme.axis,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid, width: 1, size: 4 },
        font: '11px system-ui, sans-serif',
      };
      const yAxis = {
        ...axis,
        values: (u, splits) => splits.map((value) => formatValue(unit, value, true)),
        size: (u, values) => {
          if (!values || values.length === 0) return 40;
          const longest = Math.max(...values.map((text) => String(text).length));
          return Math.max(40, Math.ceil(longest * 6.2) + 14);
        },
      };
      if (unit === 'bytes' || unit === 'bytes/s') yAxis.incrs = BYTE_INCREMENTS;
      const yRange = this.def.fixedRange
        ? () => this.def.fixedRange
        : (u, min, max) => {
            if (min === null || max === null) return [0, 1];
            if (unit === '°C') {
              const low = Math.floor(min - 2);
              return [low, Math.max(Math.ceil(max + 2), low + 5)];
            }
            return [Math.min(0, min), max > 0 ? max * 1.1 : 1];
          };
      this.width = this.plotBox.clientWidth;
      return {
        width: this.width,
        height: plotHeight(),
        scales: {
          x: { time: true, range: () => [page.window.from / 1000, page.window.to / 1000] },
          y: { range: yRange },
        },
        series: [
          { value: (u, ts) => formatTime(ts) },
          ...this.series.map((series, index) => {
            const color = theme.palette[series.color % theme.palette.length] || theme.axis;
            return {
              label: series.label,
              stroke: color,
              width: 1.5,
              dash: series.dash ? [5, 4] : undefined,
              fill: this.def.fill && index === 0 ? translucent(color, 0.15) : undefined,
              value: (u, value) => formatValue(unit, value, false),
              points: { size: 4 },
            };
          }),
        ],
        axes: [{ ...axis, space: 60 }, yAxis],
        cursor: {
          sync: { key: `hostwatch-${page.hostId}` },
          drag: { x: false, y: false },
          points: { size: 6 },
        },
        legend: { live: true },
        hooks: { ready: [showLatest], setData: [showLatest], setCursor: [showLatest] },
      };
    }
  }

  class ChartsPage {
    constructor(root) {
      this.root = root;
      this.hostId = root.dataset.hostId || '';
      this.historyUrl = `${root.dataset.api || '/api/hosts'}/${encodeURIComponent(this.hostId)}/history`;
      this.status = root.querySelector('.charts-status');
      this.grid = root.querySelector('.charts-grid');
      this.rangeGroup = root.querySelector('.charts-ranges');
      this.buttons = Array.from(root.querySelectorAll('.charts-range'));
      this.charts = Array.from(root.querySelectorAll('[data-chart]'))
        .filter((element) => CHARTS[element.dataset.chart])
        .map((element) => new Chart(element.dataset.chart, element, this));
      this.names = new Set();
      this.range = this.initialRange();
      this.window = { from: Date.now() - RANGES[this.range], to: Date.now() };
      this.loading = null;
      this.reloadTimer = null;
      this.themeVersion = 0;
    }

    initialRange() {
      const asked = new URLSearchParams(location.search).get('range');
      return asked && Object.prototype.hasOwnProperty.call(RANGES, asked) ? asked : DEFAULT_RANGE;
    }

    start() {
      this.rangeGroup.hidden = false;
      this.grid.hidden = false;
      for (const button of this.buttons) {
        button.addEventListener('click', () => this.selectRange(button.dataset.range));
      }
      this.markRange();
      document.addEventListener('hostwatch:snapshot', (event) => this.onSnapshot(event.detail));
      window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
        this.themeVersion += 1;
        for (const chart of this.charts) chart.rebuild();
      });
      this.load();
    }

    markRange() {
      for (const button of this.buttons) button.setAttribute('aria-pressed', String(button.dataset.range === this.range));
      this.root.dataset.range = this.range;
    }

    selectRange(range) {
      if (!Object.prototype.hasOwnProperty.call(RANGES, range)) return;
      this.range = range;
      this.markRange();
      // Kept in the address so that a reload or a shared link shows the same range.
      const url = new URL(location.href);
      if (range === DEFAULT_RANGE) url.searchParams.delete('range');
      else url.searchParams.set('range', range);
      history.replaceState(history.state, '', url);
      this.load();
    }

    showStatus(text, isError) {
      this.status.textContent = text;
      this.status.classList.toggle('is-error', Boolean(isError));
      this.status.hidden = text === '';
    }

    async load() {
      if (this.loading) this.loading.abort();
      const controller = new AbortController();
      this.loading = controller;
      const now = Date.now();
      this.window = { from: now - RANGES[this.range], to: now };
      const span = this.window;
      this.root.dataset.state = 'loading';
      this.root.setAttribute('aria-busy', 'true');
      try {
        const listing = await getJson(this.historyUrl, controller.signal);
        this.names = new Set((listing && Array.isArray(listing.metrics) ? listing.metrics : []).map((metric) => metric.name));
      } catch (error) {
        if (controller.signal.aborted) return;
        this.finish(controller, 'error');
        this.showStatus(`History is not available: ${describe(error)}`, true);
        for (const chart of this.charts) chart.fail(describe(error));
        return;
      }
      this.showStatus('', false);
      const results = await Promise.all(
        this.charts.map((chart) => {
          chart.setNames(this.names);
          return chart.load(span, controller.signal).then(
            () => true,
            (error) => {
              if (!controller.signal.aborted) chart.fail(describe(error));
              return false;
            },
          );
        }),
      );
      if (controller.signal.aborted) return;
      this.finish(controller, results.every(Boolean) ? 'ready' : 'error');
    }

    finish(controller, state) {
      if (this.loading !== controller) return;
      this.loading = null;
      this.root.dataset.state = state;
      this.root.removeAttribute('aria-busy');
    }

    onSnapshot(detail) {
      if (!detail || detail.hostId !== this.hostId || !detail.series || typeof detail.ts !== 'number') return;
      const unseen = Object.keys(detail.series).filter((name) => !this.names.has(name));
      if (unseen.length > 0) {
        // A new interface or sensor, or a host's very first sample: the chart's series change, so fetch again.
        for (const name of unseen) this.names.add(name);
        this.scheduleReload();
        return;
      }
      if (this.loading) return;
      const span = RANGES[this.range];
      const to = Math.max(this.window.to, detail.ts);
      this.window = { from: to - span, to };
      // The finest resolution the widest chart could ask for; live samples closer than that add nothing visible.
      const appendEvery = span / MAX_POINTS;
      for (const chart of this.charts) chart.append(detail.ts, detail.series, this.window, appendEvery);
    }

    scheduleReload() {
      if (this.reloadTimer !== null) return;
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = null;
        this.load();
      }, RELOAD_DELAY_MS);
    }
  }

  function describe(error) {
    return error instanceof Error ? error.message : String(error);
  }

  function init() {
    const root = document.querySelector('[data-charts]');
    if (!root) return;
    if (typeof uPlot !== 'function') {
      const status = root.querySelector('.charts-status');
      if (status) {
        status.textContent = 'Charts could not load their drawing library.';
        status.classList.add('is-error');
        status.hidden = false;
      }
      return;
    }
    new ChartsPage(root).start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
