import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_RETENTION } from '@hostwatch/hub/dist/core/retention';
import { HISTORY_FILE, SqliteHistoryRepository } from '@hostwatch/hub/dist/store/sqlite-history.repository';
import { chromium } from 'playwright-core';
import { sleep, type Cleanup } from '../lib/cleanup';
import { CgroupRoot } from '../lib/measured-process';
import { fmt, max, median, quantile } from '../lib/stats';
import { printTable } from '../lib/table';
import { jitteredSnapshot } from '../hub/jittered-snapshot';
import { startBenchHub } from '../hub/hub-process';
import { LoadGenerator } from '../hub/load-generator';

export interface DashboardBenchOptions {
  /** Seconds the page is watched under live load. */
  durationS: number;
  hostCounts: number[];
}

const DAY = 86_400_000;
const HISTORY_HOST = 'history-host';
const CHROMIUM = '/usr/bin/chromium';

/**
 * Thirty days of one host, a sample a minute, written through the hub's own
 * history store with a clock that walks through the month, compacting once a
 * simulated day as the hub does, so the tiers hold what a month-old hub holds.
 */
async function fillMonth(dataDir: string): Promise<{ snapshots: number; seconds: number }> {
  const started = Date.now();
  const end = Date.now();
  let now = end - 30 * DAY;
  const store = new SqliteHistoryRepository({
    file: path.join(dataDir, HISTORY_FILE),
    retention: DEFAULT_RETENTION,
    clock: { now: () => now },
    scheduler: { setInterval: () => null, clearInterval: () => undefined },
  });
  let seq = 0;
  let nextCompaction = now + DAY;
  const writes: Array<Promise<void>> = [];
  for (let ts = now; ts <= end; ts += 60_000) {
    now = ts;
    seq += 1;
    writes.push(store.append(jitteredSnapshot(HISTORY_HOST, seq, ts)));
    if (writes.length >= 1000) await Promise.all(writes.splice(0));
    if (ts >= nextCompaction) {
      await Promise.all(writes.splice(0));
      await store.compact();
      nextCompaction += DAY;
    }
  }
  await Promise.all(writes.splice(0));
  now = Date.now();
  await store.compact();
  await store.close();
  return { snapshots: seq, seconds: (Date.now() - started) / 1000 };
}

async function timeRequests(url: string, count: number): Promise<{ ms: number[]; serverMs: number[]; bytes: number; status: number; body: string }> {
  const ms: number[] = [];
  const serverMs: number[] = [];
  let body = '';
  let status = 0;
  for (let i = 0; i < count + 2; i += 1) {
    const started = performance.now();
    const response = await fetch(url);
    body = await response.text();
    const took = performance.now() - started;
    status = response.status;
    // The first two warm the hub's caches and JIT; they are not what a visitor waits.
    if (i >= 2) {
      ms.push(took);
      // The hub's own time for a page, from its Server-Timing header: the render without the transfer.
      const server = /(?:^|,)\s*page;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
      if (server) serverMs.push(Number(server[1]));
    }
  }
  return { ms, serverMs, bytes: Buffer.byteLength(body), status, body };
}

interface BrowserResult {
  seconds: number;
  longTasks: number;
  longestTaskMs: number;
  longTasksOver50Ms: number;
  mainThreadBusyPercent: number;
  domSwapsPerS: number;
  /** How old the last-seen time of each row on the screen was, sampled through the watch: proof the page keeps up. */
  visibleRowAgeMs: { samples: number; p50: number; p90: number; max: number };
  /** The same, 1.5 s after scrolling to the middle of the list, where rows waited out of sight. */
  scrolledRowAgeMs: { samples: number; p50: number; p90: number; max: number };
  hubCorePercent: number;
  snapshotsPerS: number;
}

// Page-side code is kept as source text: the bench compiles against Node's types, not the DOM's.
/** Ages (ms) of the last-seen times of the rows on the screen, by the page's clock (the hub shares this machine's). */
const VISIBLE_ROW_AGES = `(() => {
  const ages = [];
  const now = Date.now();
  for (const row of document.querySelectorAll('tbody[data-live-rows] tr')) {
    const box = row.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= window.innerHeight) continue;
    const time = row.querySelector('time[datetime]');
    const at = time ? Date.parse(time.getAttribute('datetime')) : NaN;
    if (!Number.isNaN(at)) ages.push(now - at);
  }
  return ages;
})()`;

function summariseAges(ages: number[]): { samples: number; p50: number; p90: number; max: number } {
  if (ages.length === 0) return { samples: 0, p50: Number.NaN, p90: Number.NaN, max: Number.NaN };
  return { samples: ages.length, p50: median(ages), p90: quantile(ages, 0.9), max: max(ages) };
}

/**
 * A headless Chromium on `/` while the hosts send: long tasks, main-thread
 * busy time, how many swaps the page did, and how fresh the rows on the
 * screen are, at the top and after a scroll to the middle of the list.
 */
async function watchPage(url: string, seconds: number): Promise<Omit<BrowserResult, 'hubCorePercent' | 'snapshotsPerS'>> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __bench: { longTasks: number[]; swaps: number } };
      w.__bench = { longTasks: [], swaps: 0 };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__bench.longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: false });
      document.addEventListener('DOMContentLoaded', () => {
        new MutationObserver((records) => (w.__bench.swaps += records.length)).observe(document.body, { childList: true, subtree: true });
      });
    });
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForSelector('html[data-live="live"]', { timeout: 60_000 });
    await sleep(3000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    await page.evaluate(() => {
      const w = window as unknown as { __bench: { longTasks: number[]; swaps: number } };
      w.__bench.longTasks = [];
      w.__bench.swaps = 0;
    });
    const busy0 = await taskSeconds();
    const t0 = Date.now();
    const visibleAges: number[] = [];
    const scrolledAges: number[] = [];
    const end = t0 + seconds * 1000;
    const scrollAt = t0 + (seconds * 1000) / 2;
    let scrolled = false;
    while (Date.now() < end) {
      await sleep(Math.min(1000, Math.max(0, end - Date.now())));
      if (!scrolled && Date.now() >= scrollAt) {
        scrolled = true;
        await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight / 2)');
        await sleep(1500);
        scrolledAges.push(...((await page.evaluate(VISIBLE_ROW_AGES)) as number[]));
        continue;
      }
      if (Date.now() < end) visibleAges.push(...((await page.evaluate(VISIBLE_ROW_AGES)) as number[]));
    }
    const busy1 = await taskSeconds();
    const wallS = (Date.now() - t0) / 1000;
    const seen = await page.evaluate(() => (window as unknown as { __bench: { longTasks: number[]; swaps: number } }).__bench);
    return {
      seconds: wallS,
      longTasks: seen.longTasks.length,
      longestTaskMs: seen.longTasks.length === 0 ? 0 : max(seen.longTasks),
      longTasksOver50Ms: seen.longTasks.filter((d) => d > 50).length,
      mainThreadBusyPercent: ((busy1 - busy0) / wallS) * 100,
      domSwapsPerS: seen.swaps / wallS,
      visibleRowAgeMs: summariseAges(visibleAges),
      scrolledRowAgeMs: summariseAges(scrolledAges),
    };
  } finally {
    await browser.close();
  }
}

/**
 * The pages under load: `/` rendered with 1,000 and 10,000 hosts, a browser on
 * `/` while 1,000 hosts send once a second, and a 30-day history query.
 */
export async function runDashboardBench(options: DashboardBenchOptions, cleanup: Cleanup): Promise<Record<string, unknown>> {
  const cgroups = new CgroupRoot(cleanup);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-bench-dashboard-'));
  cleanup.add(
    () => fs.rmSync(workDir, { recursive: true, force: true }),
    () => fs.rmSync(workDir, { recursive: true, force: true }),
  );
  const dataDir = path.join(workDir, 'data');
  fs.mkdirSync(dataDir);
  process.stdout.write("Filling 30 days of history for one host through the hub's store... ");
  const fill = await fillMonth(dataDir);
  console.log(`${fill.snapshots} samples in ${fmt(fill.seconds, 1)} s`);

  const hub = await startBenchHub('hub-dashboard', dataDir, cgroups, cleanup);
  const load = await LoadGenerator.start('load-dashboard', 2, path.join(workDir, 'load.log'), cgroups, cleanup);
  try {
    const to = Date.now();
    const historyUrl = `${hub.url}/api/hosts/${HISTORY_HOST}/history?metric=cpu&from=${to - 30 * DAY}&to=${to}&points=500`;
    const history = await timeRequests(historyUrl, 20);
    const answer = JSON.parse(history.body) as { tier?: string; points?: unknown[] };
    const historyResult = {
      status: history.status,
      tier: answer.tier ?? null,
      points: answer.points?.length ?? 0,
      ms: { p50: median(history.ms), p90: quantile(history.ms, 0.9), max: max(history.ms) },
      bytes: history.bytes,
    };
    console.log(`  history, 30 days of one host: ${historyResult.points} points from tier ${historyResult.tier}, ${fmt(historyResult.ms.p50, 1)} ms median`);

    const renders: Array<{
      hosts: number;
      rows: number;
      ms: { p50: number; p90: number; max: number };
      serverMs: { p50: number; p90: number; max: number };
      htmlBytes: number;
    }> = [];
    let browser: BrowserResult | null = null;
    let connected = 0;
    for (const hosts of [...options.hostCounts].sort((a, b) => a - b)) {
      const more = hosts - connected;
      // Handshakes say 1 s for the first thousand: they are the ones that send once a second under the browser.
      const result = await load.connect(hub.url, hub.token, 'bench-host', more, connected === 0 ? 1000 : 10_000);
      connected += result.connected;
      if (result.connected < more) throw new Error(`only ${result.connected} of ${more} simulated agents connected`);
      await load.setRate(10_000);
      await sleep(12_000);
      const page = await timeRequests(`${hub.url}/`, hosts >= 5000 ? 10 : 20);
      const rows = (page.body.match(/<tr data-host-id=/g) ?? []).length;
      renders.push({
        hosts,
        rows,
        ms: { p50: median(page.ms), p90: quantile(page.ms, 0.9), max: max(page.ms) },
        serverMs: { p50: median(page.serverMs), p90: quantile(page.serverMs, 0.9), max: max(page.serverMs) },
        htmlBytes: page.bytes,
      });
      console.log(
        `  / with ${hosts} hosts: ${rows} rows, ${fmt(page.bytes / 1024, 0)} KiB, server ${fmt(median(page.serverMs), 1)} ms median, whole response ${fmt(median(page.ms), 1)} ms median`,
      );

      if (browser === null && hosts === 1000) {
        await load.setRate(1000);
        await sleep(3000);
        await load.report(true);
        const c0 = hub.process.cpuUsec();
        const t0 = Date.now();
        const watched = await watchPage(`${hub.url}/`, options.durationS);
        const wallMs = Date.now() - t0;
        const report = await load.report(true);
        browser = { ...watched, hubCorePercent: ((hub.process.cpuUsec() - c0) / 1000 / wallMs) * 100, snapshotsPerS: report.acked / (wallMs / 1000) };
        console.log(
          `  browser on / with 1000 hosts at ${fmt(browser.snapshotsPerS, 0)} snapshots/s: ${browser.longTasks} long tasks (longest ${fmt(browser.longestTaskMs, 0)} ms), main thread ${fmt(browser.mainThreadBusyPercent, 1)} % busy`,
        );
        await load.setRate(10_000);
      }
    }

    printTable(
      "Dashboard: render of / (server: the hub's Server-Timing; response: the whole response over loopback)",
      renders.map((r) => ({
        hosts: r.hosts,
        'rows in page': r.rows,
        'server median ms': fmt(r.serverMs.p50, 1),
        'server p90 ms': fmt(r.serverMs.p90, 1),
        'server max ms': fmt(r.serverMs.max, 1),
        'response median ms': fmt(r.ms.p50, 1),
        'response p90 ms': fmt(r.ms.p90, 1),
        'HTML KiB': fmt(r.htmlBytes / 1024, 0),
      })),
    );
    if (browser) {
      printTable('Dashboard: headless Chromium on / with 1,000 hosts under live updates', [
        {
          'snapshots/s': fmt(browser.snapshotsPerS, 0),
          seconds: fmt(browser.seconds, 0),
          'long tasks': browser.longTasks,
          'over 50 ms': browser.longTasksOver50Ms,
          'longest ms': fmt(browser.longestTaskMs, 0),
          'main thread busy %': fmt(browser.mainThreadBusyPercent, 1),
          'DOM swaps/s': fmt(browser.domSwapsPerS, 0),
          'hub % core': fmt(browser.hubCorePercent, 0),
        },
      ]);
      printTable('Dashboard: age of the last-seen time in the rows on the screen (agents send once a second)', [
        {
          when: 'top of the list, through the watch',
          rows: browser.visibleRowAgeMs.samples,
          'median ms': fmt(browser.visibleRowAgeMs.p50, 0),
          'p90 ms': fmt(browser.visibleRowAgeMs.p90, 0),
          'max ms': fmt(browser.visibleRowAgeMs.max, 0),
        },
        {
          when: '1.5 s after scrolling to the middle',
          rows: browser.scrolledRowAgeMs.samples,
          'median ms': fmt(browser.scrolledRowAgeMs.p50, 0),
          'p90 ms': fmt(browser.scrolledRowAgeMs.p90, 0),
          'max ms': fmt(browser.scrolledRowAgeMs.max, 0),
        },
      ]);
    }
    printTable('History: 30 days of one host, at most 500 points (GET /api/hosts/:id/history)', [
      {
        points: historyResult.points,
        tier: historyResult.tier ?? '-',
        'median ms': fmt(historyResult.ms.p50, 1),
        'p90 ms': fmt(historyResult.ms.p90, 1),
        'max ms': fmt(historyResult.ms.max, 1),
        bytes: historyResult.bytes,
      },
    ]);
    return { fill, history: historyResult, renders, browser };
  } finally {
    await load.stop();
    await hub.stop();
  }
}
