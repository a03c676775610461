import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../hub';
import { collectPageErrors, browserSuite } from './browser';
import { connectAgent, send, type AgentClient, startTestHub } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';
const MINUTE = 60_000;
const DRAWN_CHARTS = ['cpu', 'load', 'memory', 'network', 'disk'];

// Page-side code is kept as source text: the hub compiles against Node's types, not the DOM's.

/**
 * Counts the canvas pixels in colour: zero for a chart with only its grey
 * axes and grid. Series lines are saturated colours, even where
 * anti-aliasing blends a thin line with the background.
 */
const SERIES_PIXELS = `(key) => {
  const canvas = document.querySelector('[data-chart="' + key + '"] canvas');
  if (!canvas) return 0;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const chroma = Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]);
    if (data[i + 3] > 200 && chroma > 60) count += 1;
  }
  return count;
}`;

/** Dispatches what the live script dispatches on a new snapshot. */
const DISPATCH_SNAPSHOT = `(detail) => document.dispatchEvent(new CustomEvent('hostwatch:snapshot', { detail }))`;

async function seriesPixels(page: Page, chart: string): Promise<number> {
  const count: unknown = await page.evaluate(`(${SERIES_PIXELS})(${JSON.stringify(chart)})`);
  if (typeof count !== 'number') throw new Error(`no pixel count for the ${chart} chart: ${String(count)}`);
  return count;
}

async function dispatchSnapshot(page: Page, detail: { hostId: string; ts: number; series: Record<string, number> }): Promise<void> {
  await page.evaluate(`(${DISPATCH_SNAPSHOT})(${JSON.stringify(detail)})`);
}

describe('host page charts (browser e2e)', function () {
  // Chromium's first start on a busy machine takes a while.
  this.timeout(60_000);

  const suite = browserSuite();

  async function startWithAgent(): Promise<{ hub: RunningHub; agent: AgentClient }> {
    const hub = await startTestHub(suite.cleanup, { agentToken: TOKEN });
    const agent = await connectAgent(hub.url, validAuth(TOKEN), suite.cleanup);
    expect(await send(agent, 'facts', validFacts())).to.deep.equal({ ok: true });
    return { hub, agent };
  }

  /** Samples every five minutes over the last twenty, well inside the default one-hour range; returns the newest one's time. */
  async function sendHistory(agent: AgentClient): Promise<number> {
    const now = Date.now();
    for (let seq = 1; seq <= 5; seq += 1) {
      const ts = now - (5 - seq) * 5 * MINUTE;
      const cpu = { usagePercent: 20 + seq * 10, perCorePercent: [10, 15], load: { one: seq / 2, five: 0.5, fifteen: 0.25 } };
      expect(await send(agent, 'snapshot', validSnapshot({ seq, ts, cpu }))).to.deep.equal({ ok: true });
    }
    return now;
  }

  async function openHostPage(hub: RunningHub, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const context = await suite.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${hub.url}/hosts/web-01`);
    return { page, errors };
  }

  /** Waits until the charts of the range have loaded or failed, and checks which. */
  async function waitForCharts(page: Page, range: string, state = 'ready'): Promise<void> {
    const root = `[data-charts][data-range="${range}"][data-state]:not([data-state="loading"])`;
    await page.waitForSelector(root, { timeout: 15_000 });
    const status = await page.textContent('.charts-status');
    expect(await page.getAttribute(root, 'data-state'), `charts ${range}: ${status}`).to.equal(state);
  }

  it('should draw the charts from history, ask for the 24 h range when its button is pressed, and log no errors', async () => {
    const { hub, agent } = await startWithAgent();
    await sendHistory(agent);

    const { page, errors } = await openHostPage(hub);
    await waitForCharts(page, '1h');

    for (const chart of DRAWN_CHARTS) {
      expect(await page.getAttribute(`[data-chart="${chart}"]`, 'data-state'), chart).to.equal('drawn');
      expect(await page.locator(`[data-chart="${chart}"] canvas`).count(), chart).to.equal(1);
      expect(await seriesPixels(page, chart), chart).to.be.greaterThan(20);
    }
    // The fixture host has no sensors.
    expect(await page.textContent('[data-chart="temperatures"] .chart-note')).to.contain('not available');
    expect(await page.getAttribute('button[data-range="1h"]', 'aria-pressed')).to.equal('true');
    expect(await page.textContent('[data-chart="cpu"] .u-legend')).to.match(/\d+\.\d%/);
    expect(await page.textContent('[data-chart="memory"] .u-legend')).to.match(/\d+(\.\d+)? [KMG]iB/);

    const answered = page.waitForResponse((response) => {
      const url = new URL(response.url());
      const from = Number(url.searchParams.get('from'));
      const to = Number(url.searchParams.get('to'));
      return url.pathname === '/api/hosts/web-01/history' && url.searchParams.get('metric') === 'cpu' && to - from === 24 * 60 * MINUTE;
    });
    await page.click('button[data-range="24h"]');
    const response = await answered;
    const { points } = (await response.json()) as { points: Array<[number, number]> };
    await waitForCharts(page, '24h');

    expect(Number(new URL(response.url()).searchParams.get('points'))).to.be.within(60, 1000);
    expect(await page.getAttribute('button[data-range="24h"]', 'aria-pressed')).to.equal('true');
    expect(await page.getAttribute('button[data-range="1h"]', 'aria-pressed')).to.equal('false');
    // At 24 h the hub answers from per-minute averages, which may hold fewer points than were sent, but never none.
    expect(points).to.not.be.empty;
    expect(Number(await page.getAttribute('[data-chart="cpu"]', 'data-points'))).to.be.at.least(points.length);
    for (const chart of DRAWN_CHARTS) {
      expect(await page.getAttribute(`[data-chart="${chart}"]`, 'data-state'), chart).to.equal('drawn');
      expect(await seriesPixels(page, chart), chart).to.be.greaterThan(0);
    }
    expect(errors).to.deep.equal([]);
  });

  it('should append a live sample of this host to the open charts and ignore one of another host', async () => {
    const { hub, agent } = await startWithAgent();
    const now = await sendHistory(agent);
    const { page, errors } = await openHostPage(hub);
    await waitForCharts(page, '1h');
    const before = Number(await page.getAttribute('[data-chart="cpu"]', 'data-points'));

    const series = { cpu: 42, 'load.1': 1, 'load.5': 1, 'load.15': 1, 'memory.used': 1, 'memory.available': 1, 'swap.used': 0 };
    await dispatchSnapshot(page, { hostId: 'db-01', ts: now + MINUTE, series: { ...series, cpu: 99 } });
    await dispatchSnapshot(page, { hostId: 'web-01', ts: now + MINUTE, series });

    expect(Number(await page.getAttribute('[data-chart="cpu"]', 'data-points'))).to.equal(before + 1);
    expect(await page.textContent('[data-chart="cpu"] .u-legend')).to.contain('42.0%');
    expect(errors).to.deep.equal([]);
  });

  it('should say there is no data yet for a host without samples', async () => {
    const { hub } = await startWithAgent();

    const { page, errors } = await openHostPage(hub, 375);
    await waitForCharts(page, '1h');

    for (const chart of [...DRAWN_CHARTS, 'temperatures']) {
      expect(await page.getAttribute(`[data-chart="${chart}"]`, 'data-state'), chart).to.equal('empty');
      expect(await page.textContent(`[data-chart="${chart}"] .chart-note`), chart).to.equal('No data yet.');
    }
    expect(await page.locator('[data-charts] canvas').count()).to.equal(0);
    expect(errors).to.deep.equal([]);
  });

  it('should show the message of a failing history API instead of charts', async () => {
    const { hub, agent } = await startWithAgent();
    await sendHistory(agent);
    const context = await suite.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.route('**/api/hosts/web-01/history**', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ message: 'History is being migrated' }) }),
    );

    await page.goto(`${hub.url}/hosts/web-01`);
    await waitForCharts(page, '1h', 'error');

    expect(await page.textContent('.charts-status')).to.equal('History is not available: History is being migrated');
    expect(await page.getAttribute('[data-chart="cpu"]', 'data-state')).to.equal('error');
    // The refused request is logged by the browser itself; the script must not throw.
    expect(errors.filter((error) => !error.includes('503'))).to.deep.equal([]);
  });
});
