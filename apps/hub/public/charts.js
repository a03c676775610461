// @ts-check
/*
 * History charts on the host page, drawn with uPlot (global `uPlot`, loaded before this file).
 * The page is rendered server-side; this script only fills the charts section,
 * so the rest of the page works without it.
 */
(function () {
  'use strict';

  /** @typedef {import('uplot')} UPlot */
  /** @typedef {'%' | 'load' | 'bytes' | 'bytes/s' | '°C'} Unit */
  /** @typedef {{ name: string, label: string, dash?: boolean }} SeriesSpec */
  /**
   * A series and its place in the palette.
   * @typedef {SeriesSpec & { color: number }} ChartSeries
   */
  /**
   * @typedef {object} ChartDef
   * @property {Unit} unit
   * @property {boolean} [fill]
   * @property {[number, number]} [fixedRange]
   * @property {(names: Set<string>) => ChartSeries[]} series
   * @property {string} [emptyText]
   */
  /**
   * Columns as uPlot takes them: times in seconds, then one column of values per series, null where a gap is drawn.
   * @typedef {[number[], ...(number | null)[][]]} Table
   */
  /**
   * A time window, in ms.
   * @typedef {{ from: number, to: number }} Span
   */
  // Answers of the hub's history API (HistoryController in apps/hub/src), taken as the hub sends them.
  /** @typedef {{ metrics: { name: string }[] }} MetricList */
  /**
   * [ts ms, value] pairs in time order.
   * @typedef {{ points: [number, number][] }} HistoryAnswer
   */

  const HOUR = 3600 * 1000;
  const DAY = 24 * HOUR;
  const RANGES = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '1y': 365 * DAY };
  /** @typedef {keyof typeof RANGES} RangeKey */
  /** @type {RangeKey} */
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

  /**
   * @param {number} value
   * @param {number} digits
   */
  function trimmed(value, digits) {
    return String(Number(value.toFixed(digits)));
  }

  /**
   * Binary units, as the rest of the dashboard shows sizes.
   * @param {number} value
   * @param {number} digits
   */
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

  /**
   * @param {Unit} unit
   * @param {number | null | undefined} value
   * @param {boolean} forAxis
   */
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

  /** @param {number | null | undefined} seconds */
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
    /** @type {number[]} */
    const steps = [];
    for (let power = 0; power < BYTE_UNITS.length; power += 1) {
      for (const base of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) steps.push(base * Math.pow(1024, power));
    }
    return steps;
  })();

  /* ---------- which series each chart shows ---------- */

  /**
   * @param {string} name
   * @param {string} prefix
   */
  function instanceOf(name, prefix) {
    return name.startsWith(prefix) ? name.slice(prefix.length) : null;
  }

  /**
   * @param {Set<string>} names
   * @param {SeriesSpec[]} wanted
   * @returns {ChartSeries[]}
   */
  function fixed(names, wanted) {
    return wanted.filter((entry) => names.has(entry.name)).map((entry, index) => ({ ...entry, color: index }));
  }

  /**
   * @param {Set<string>} names
   * @returns {ChartSeries[]}
   */
  function interfaceSeries(names) {
    /** @type {Set<string>} */
    const interfaces = new Set();
    for (const name of names) {
      const nic = instanceOf(name, 'net.rx:') ?? instanceOf(name, 'net.tx:');
      // Loopback traffic never leaves the host, so it is left out of the chart.
      if (nic !== null && nic !== 'lo') interfaces.add(nic);
    }
    /** @type {SeriesSpec[]} */
    const series = [];
    for (const nic of Array.from(interfaces).sort()) {
      // The host names its interfaces: the name is set apart (first-strong isolate) so its bidi controls stay in it.
      const shown = `\u2068${nic}\u2069`;
      if (names.has(`net.rx:${nic}`)) series.push({ name: `net.rx:${nic}`, label: `${shown} in` });
      if (names.has(`net.tx:${nic}`)) series.push({ name: `net.tx:${nic}`, label: `${shown} out`, dash: true });
    }
    return series.map((entry, index) => ({ ...entry, color: index }));
  }

  /**
   * @param {Set<string>} names
   * @returns {ChartSeries[]}
   */
  function temperatureSeries(names) {
    const main = fixed(names, [
      { name: 'temp.cpu', label: 'CPU' },
      { name: 'temp.cpu.max', label: 'CPU max' },
    ]);
    if (main.length > 0) return main;
    // Per-core sensors only where the host has no package sensor: a many-core legend would bury the chart.
    /** @type {number[]} */
    const cores = [];
    for (const name of names) {
      const core = instanceOf(name, 'temp.core:');
      if (core !== null) cores.push(Number(core));
    }
    return cores.sort((a, b) => a - b).map((core, index) => ({ name: `temp.core:${core}`, label: `Core ${core}`, color: index }));
  }

  /** @satisfies {Record<string, ChartDef>} */
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

  /** @typedef {keyof typeof CHARTS} ChartKey */

  /**
   * @param {string | undefined} key
   * @returns {key is ChartKey}
   */
  function isChartKey(key) {
    return key !== undefined && Object.prototype.hasOwnProperty.call(CHARTS, key);
  }

  /**
   * @param {string | null | undefined} range
   * @returns {range is RangeKey}
   */
  function isRangeKey(range) {
    return typeof range === 'string' && Object.prototype.hasOwnProperty.call(RANGES, range);
  }

  /* ---------- data ---------- */

  /**
   * Typical spacing of a series, so that only real pauses become gaps.
   * @param {number[]} xs
   * @returns {number | null}
   */
  function typicalStep(xs) {
    if (xs.length < 2) return null;
    const steps = [];
    for (let i = 1; i < xs.length; i += 1) steps.push(xs[i] - xs[i - 1]);
    steps.sort((a, b) => a - b);
    return steps[Math.floor(steps.length / 2)];
  }

  /**
   * [[xs], [ys]] in seconds, with a null between points further apart than a few usual steps.
   * @param {[number, number][]} points
   * @param {number | null} step
   * @returns {Table}
   */
  function toTable(points, step) {
    /** @type {number[]} */
    const xs = [];
    /** @type {(number | null)[]} */
    const ys = [];
    /** @type {number | null} */
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

  /**
   * @param {Table[]} tables
   * @returns {Table}
   */
  function joinTables(tables) {
    if (tables.length === 1) return tables[0];
    // uPlot's types allow typed arrays, but join builds plain arrays: the times, then each table's values.
    return /** @type {Table} */ (uPlot.join(tables));
  }

  /** @param {Table} data */
  function hasValues(data) {
    for (let s = 1; s < data.length; s += 1) {
      if (data[s].some((value) => value !== null && value !== undefined)) return true;
    }
    return false;
  }

  /**
   * The parsed body of a successful answer; an answer that is not JSON reads as null.
   * @param {string} url
   * @param {AbortSignal} signal
   * @returns {Promise<unknown>}
   */
  async function getJson(url, signal) {
    const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    /** @type {{ message?: unknown } | null} */
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

  /** @param {Element} element */
  function readTheme(element) {
    const style = getComputedStyle(element);
    const read = (/** @type {string} */ name) => style.getPropertyValue(name).trim();
    /** @type {string[]} */
    const palette = [];
    for (let i = 1; i <= PALETTE_SIZE; i += 1) palette.push(read(`--chart-${i}`));
    return { axis: read('--chart-axis'), grid: read('--chart-grid'), palette };
  }

  /**
   * @param {string} color
   * @param {number} alpha
   */
  function translucent(color, alpha) {
    const hex = /^#([0-9a-f]{6})$/i.exec(color);
    if (!hex) return color;
    const value = parseInt(hex[1], 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }

  /* ---------- the charts section ---------- */

  /**
   * Away from the cursor the legend shows the newest values rather than dashes.
   * @param {UPlot} u
   */
  function showLatest(u) {
    if (u.cursor.idx !== null && u.cursor.idx !== undefined) return;
    const last = u.data[0].length - 1;
    if (last >= 0) u.setLegend({ idx: last });
  }

  function plotHeight() {
    return window.matchMedia('(max-width: 480px)').matches ? 170 : 200;
  }

  class Chart {
    /**
     * @param {ChartKey} key
     * @param {HTMLElement} element
     * @param {ChartsPage} page
     */
    constructor(key, element, page) {
      this.key = key;
      /** @type {ChartDef} */
      this.def = CHARTS[key];
      this.page = page;
      this.element = element;
      // Both are in every chart's markup (views/partials/charts.hbs).
      this.plotBox = /** @type {HTMLElement} */ (element.querySelector('.chart-plot'));
      this.note = /** @type {HTMLElement} */ (element.querySelector('.chart-note'));
      /** @type {ChartSeries[]} */
      this.series = [];
      /** @type {UPlot | null} */
      this.plot = null;
      /** @type {Table | null} */
      this.data = null;
      /** @type {number | null} */
      this.step = null;
      this.signature = '';
      this.width = 0;
      this.resizeObserver = new ResizeObserver(() => this.fitWidth());
      this.resizeObserver.observe(this.plotBox);
    }

    /** @param {Set<string>} names */
    setNames(names) {
      this.series = this.def.series(names);
    }

    /** Points to ask for: about one per pixel, as more could not be drawn. */
    pointsWanted() {
      const width = Math.round(this.plotBox.clientWidth || this.element.clientWidth || MAX_POINTS);
      return Math.max(MIN_POINTS, Math.min(MAX_POINTS, width));
    }

    /**
     * @param {string} text
     * @param {boolean} [isError]
     */
    showNote(text, isError) {
      this.note.textContent = text;
      this.note.classList.toggle('is-error', Boolean(isError));
      this.note.hidden = false;
      this.plotBox.hidden = true;
      this.element.dataset.state = isError ? 'error' : 'empty';
    }

    /**
     * @param {Span} span
     * @param {AbortSignal} signal
     */
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
          return /** @type {Promise<HistoryAnswer>} */ (getJson(`${this.page.historyUrl}?${query}`, signal));
        }),
      );
      if (signal.aborted) return;
      const steps = answers.map((answer) => typicalStep(answer.points.map((point) => point[0] / 1000))).filter((s) => s !== null);
      this.step = steps.length > 0 ? Math.min(...steps) : null;
      this.data = joinTables(answers.map((answer) => toTable(answer.points, this.step)));
      this.render();
    }

    /** @param {string} message */
    fail(message) {
      this.destroyPlot();
      this.showNote(`Could not load the history: ${message}`, true);
    }

    /**
     * Adds the live sample when it is due, and drops what slid out of the window.
     * @param {number} ts
     * @param {Record<string, number>} values
     * @param {Span} span
     * @param {number} appendEvery
     */
    append(ts, values, span, appendEvery) {
      if (this.series.length === 0) return;
      if (!this.data) this.data = [[], ...this.series.map(() => [])];
      const [xs, ...columns] = this.data;
      const x = ts / 1000;
      const last = xs.length > 0 ? xs[xs.length - 1] : null;
      const row = this.series.map((series) => (typeof values[series.name] === 'number' ? values[series.name] : null));
      if (last !== null && x <= last) return;
      if (last !== null && x - last < appendEvery / 1000) return;
      if (row.every((value) => value === null)) return;
      if (last !== null && this.step !== null && x - last > this.step * GAP_FACTOR) {
        xs.push(last + this.step);
        for (const column of columns) column.push(null);
      }
      xs.push(x);
      row.forEach((value, index) => columns[index].push(value));
      if (this.step === null) this.step = typicalStep(xs);
      this.trim(span.from / 1000);
      this.render();
    }

    /** @param {number} fromSeconds */
    trim(fromSeconds) {
      if (!this.data) return;
      const [xs, ...columns] = this.data;
      let first = 0;
      while (first < xs.length && xs[first] < fromSeconds) first += 1;
      if (first > 0) this.data = [xs.slice(first), ...columns.map((column) => column.slice(first))];
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

    /** @returns {import('uplot').Options} */
    options() {
      const unit = this.def.unit;
      const theme = readTheme(this.page.root);
      const page = this.page;
      /** @type {import('uplot').Axis} */
      const axis = {
        stroke: theme.axis,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid, width: 1, size: 4 },
        font: '11px system-ui, sans-serif',
      };
      /** @type {import('uplot').Axis} */
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
      const fixedRange = this.def.fixedRange;
      /** @type {import('uplot').Scale.Range} */
      const yRange = fixedRange
        ? () => fixedRange
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
          ...this.series.map(
            /** @returns {import('uplot').Series} */ (series, index) => {
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
            },
          ),
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
    /** @param {HTMLElement} root */
    constructor(root) {
      this.root = root;
      this.hostId = root.dataset.hostId || '';
      this.historyUrl = `${root.dataset.api || '/api/hosts'}/${encodeURIComponent(this.hostId)}/history`;
      // All three are in the section's markup (views/partials/charts.hbs).
      this.status = /** @type {HTMLElement} */ (root.querySelector('.charts-status'));
      this.grid = /** @type {HTMLElement} */ (root.querySelector('.charts-grid'));
      this.rangeGroup = /** @type {HTMLElement} */ (root.querySelector('.charts-ranges'));
      /** @type {HTMLElement[]} */
      this.buttons = Array.from(root.querySelectorAll('.charts-range'));
      /** @type {Chart[]} */
      this.charts = [];
      for (const element of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-chart]'))) {
        const key = element.dataset.chart;
        if (isChartKey(key)) this.charts.push(new Chart(key, element, this));
      }
      /** @type {Set<string>} */
      this.names = new Set();
      this.range = this.initialRange();
      /** @type {Span} */
      this.window = { from: Date.now() - RANGES[this.range], to: Date.now() };
      /** @type {AbortController | null} */
      this.loading = null;
      /** @type {number | null} */
      this.reloadTimer = null;
      this.themeVersion = 0;
    }

    /** @returns {RangeKey} */
    initialRange() {
      const asked = new URLSearchParams(location.search).get('range');
      return isRangeKey(asked) ? asked : DEFAULT_RANGE;
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

    /** @param {string | undefined} range */
    selectRange(range) {
      if (!isRangeKey(range)) return;
      this.range = range;
      this.markRange();
      // Kept in the address so that a reload or a shared link shows the same range.
      const url = new URL(location.href);
      if (range === DEFAULT_RANGE) url.searchParams.delete('range');
      else url.searchParams.set('range', range);
      history.replaceState(history.state, '', url);
      this.load();
    }

    /**
     * @param {string} text
     * @param {boolean} isError
     */
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
        const listing = await /** @type {Promise<MetricList | null>} */ (getJson(this.historyUrl, controller.signal));
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
            (/** @type {unknown} */ error) => {
              if (!controller.signal.aborted) chart.fail(describe(error));
              return false;
            },
          );
        }),
      );
      if (controller.signal.aborted) return;
      this.finish(controller, results.every(Boolean) ? 'ready' : 'error');
    }

    /**
     * @param {AbortController} controller
     * @param {'ready' | 'error'} state
     */
    finish(controller, state) {
      if (this.loading !== controller) return;
      this.loading = null;
      this.root.dataset.state = state;
      this.root.removeAttribute('aria-busy');
    }

    /** @param {HostwatchSnapshotDetail | null | undefined} detail */
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

  /** @param {unknown} error */
  function describe(error) {
    return error instanceof Error ? error.message : String(error);
  }

  function init() {
    /** @type {HTMLElement | null} */
    const root = document.querySelector('[data-charts]');
    if (!root) return;
    if (typeof uPlot !== 'function') {
      /** @type {HTMLElement | null} */
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
