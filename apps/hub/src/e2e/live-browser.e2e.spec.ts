import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { HubConfig } from '../core/hub-config';
import type { RunningHub } from '../hub';
import { collectPageErrors, browserSuite, waitForExpression } from './browser';
import { connectAgent, makeTempDir, send, type AgentClient, startTestHub } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';

// Page-side code is kept as source text: the hub compiles against Node's types, not the DOM's.
const LIVE_STATE = 'document.documentElement.dataset.live';
const IS_LIVE = `${LIVE_STATE} === 'live'`;
const ROW_IDS = `[...document.querySelectorAll('tbody[data-live-rows] tr')].map((row) => row.dataset.hostId)`;

function snapshotWithCpu(seq: number, usagePercent: number, hostId = 'web-01') {
  const snapshot = validSnapshot({ hostId, seq, ts: Date.now() });
  return { ...snapshot, cpu: { ...snapshot.cpu, usagePercent } };
}

function row(hostId: string): string {
  return `tbody[data-live-rows] tr[data-host-id="${hostId}"]`;
}

describe('live pages (browser e2e)', function () {
  // Chromium's first start on a busy machine takes a while.
  this.timeout(60_000);

  const suite = browserSuite();

  async function start(overrides: Partial<HubConfig> = {}): Promise<RunningHub> {
    return startTestHub(suite.cleanup, { agentToken: TOKEN, ...overrides });
  }

  async function agentWithSnapshot(hub: RunningHub, hostId = 'web-01', intervalMs = 5000): Promise<AgentClient> {
    const agent = await connectAgent(hub.url, validAuth(TOKEN, { hostId, intervalMs }), suite.cleanup);
    expect(await send(agent, 'facts', validFacts({ hostname: `${hostId}.example` }))).to.deep.equal({ ok: true });
    expect(await send(agent, 'snapshot', snapshotWithCpu(1, 10, hostId))).to.deep.equal({ ok: true });
    return agent;
  }

  async function open(url: string, javaScriptEnabled = true): Promise<{ page: Page; errors: string[] }> {
    const context = await suite.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(url);
    return { page, errors };
  }

  /** Opens the page, waits until it is live, and marks the window so that a reload would show. */
  async function openLive(url: string): Promise<{ page: Page; errors: string[] }> {
    const opened = await open(url);
    await waitForExpression(opened.page, IS_LIVE, { timeout: 15_000 });
    await opened.page.evaluate('window.marker = 1');
    return opened;
  }

  async function sameWindow(page: Page): Promise<void> {
    expect(await page.evaluate('window.marker'), 'the page was not reloaded').to.equal(1);
  }

  it('should update the list page in place when an agent pushes, insert a new host in order, and say it is live', async () => {
    const hub = await start();
    const web = await agentWithSnapshot(hub, 'web-01');
    const { page, errors } = await openLive(`${hub.url}/`);
    expect(await page.textContent('[data-live-indicator]')).to.equal('live');
    expect(await page.textContent(row('web-01'))).to.contain('10.0%');

    expect(await send(web, 'snapshot', snapshotWithCpu(2, 77.7))).to.deep.equal({ ok: true });
    await waitForExpression(page, `document.querySelector('${row('web-01')}').textContent.includes('77.7%')`);
    expect(await page.getAttribute(`${row('web-01')} svg.sparkline polyline`, 'points')).to.match(/^0,\d+ 1,\d+$/);

    await agentWithSnapshot(hub, 'alpha-01');
    await waitForExpression(page, `${ROW_IDS}.length === 2`);
    expect(await page.evaluate(ROW_IDS)).to.deep.equal(['alpha-01', 'web-01']);
    expect(await page.textContent('[data-live-summary]')).to.equal('2 hosts: 2 online, 0 stale, 0 offline');

    expect((await fetch(`${hub.url}/api/hosts/alpha-01`, { method: 'DELETE' })).status).to.equal(204);
    await waitForExpression(page, `${ROW_IDS}.length === 1`);
    expect(await page.textContent('[data-live-summary]')).to.equal('1 host: 1 online, 0 stale, 0 offline');

    await sameWindow(page);
    expect(errors).to.deep.equal([]);
  });

  it('should turn a host stale, then offline, on a page that stays open', async () => {
    const hub = await start();
    const agent = await agentWithSnapshot(hub, 'web-01', 300);
    const { page, errors } = await openLive(`${hub.url}/`);

    await page.waitForSelector(`${row('web-01')} .status-stale`, { timeout: 10_000 });
    agent.disconnect();
    await page.waitForSelector(`${row('web-01')} .status-offline`, { timeout: 10_000 });

    expect(await page.textContent('[data-live-summary]')).to.equal('1 host: 0 online, 0 stale, 1 offline');
    await sameWindow(page);
    expect(errors).to.deep.equal([]);
  });

  it('should patch the host page and hand each new snapshot to the charts', async () => {
    const hub = await start();
    const agent = await agentWithSnapshot(hub, 'web-01');
    const { page, errors } = await openLive(`${hub.url}/hosts/web-01`);
    await page.evaluate(`window.seen = []; document.addEventListener('hostwatch:snapshot', (event) => window.seen.push(event.detail))`);

    const snapshot = snapshotWithCpu(2, 66.6);
    expect(await send(agent, 'snapshot', snapshot)).to.deep.equal({ ok: true });
    await waitForExpression(page, 'window.seen.length === 1');

    const [detail] = (await page.evaluate('window.seen')) as Array<{ hostId: string; ts: number; series: Record<string, number> }>;
    expect(detail).to.deep.include({ hostId: 'web-01', ts: snapshot.ts });
    expect(detail?.series).to.include({ cpu: 66.6, 'load.1': 0.42 });
    await waitForExpression(page, `document.querySelector('[data-live-section="host-cpu"]').textContent.includes('66.6%')`);
    agent.disconnect();
    await page.waitForSelector('[data-live-section="host-heading"] .status-offline', { timeout: 10_000 });
    await sameWindow(page);
    expect(errors).to.deep.equal([]);
  });

  it('should show it is reconnecting while the hub is away and catch up by itself once it is back', async () => {
    const dataDir = await makeTempDir(suite.cleanup);
    const first = await start({ dataDir });
    await agentWithSnapshot(first, 'web-01');
    const { page, errors } = await openLive(`${first.url}/`);

    await first.close();
    await waitForExpression(page, `${LIVE_STATE} === 'reconnecting'`);
    expect(await page.textContent('[data-live-indicator]')).to.equal('reconnecting');

    const second = await start({ dataDir, port: first.port });
    const agent = await connectAgent(second.url, validAuth(TOKEN), suite.cleanup);
    expect(await send(agent, 'snapshot', snapshotWithCpu(5, 33.3))).to.deep.equal({ ok: true });

    await waitForExpression(page, IS_LIVE, { timeout: 20_000 });
    await waitForExpression(page, `document.querySelector('${row('web-01')}')?.textContent.includes('33.3%')`);
    await sameWindow(page);
    // While the hub is away the browser logs its refused connections; nothing the page did may throw.
    expect(errors.filter((error) => error.startsWith('uncaught'))).to.deep.equal([]);
  });

  it('should render the whole list without JavaScript, with the indicator hidden', async () => {
    const hub = await start();
    await agentWithSnapshot(hub, 'web-01');
    const { page } = await open(`${hub.url}/`, false);

    expect(await page.textContent(row('web-01')))
      .to.contain('web-01.example')
      .and.contain('10.0%');
    expect(await page.isHidden('[data-live-indicator]')).to.equal(true);
  });
});
