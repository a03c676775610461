import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../hub';
import { collectPageErrors, browserSuite, waitForExpression } from './browser';
import { connectAgent, send, startTestHub, type AgentClient } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';
const HOSTS = 80;

// Page-side code is kept as source text: the hub compiles against Node's types, not the DOM's.
const IS_LIVE = "document.documentElement.dataset.live === 'live'";
const ROW_COUNT = "document.querySelectorAll('tbody[data-live-rows] tr').length";

function hostId(index: number): string {
  return `host-${String(index).padStart(2, '0')}`;
}

function row(id: string): string {
  return `tbody[data-live-rows] tr[data-host-id="${id}"]`;
}

function rowText(id: string): string {
  return `document.querySelector('${row(id)}')?.textContent ?? ''`;
}

function snapshotWithCpu(id: string, seq: number, usagePercent: number) {
  const snapshot = validSnapshot({ hostId: id, seq, ts: Date.now() });
  return { ...snapshot, cpu: { ...snapshot.cpu, usagePercent } };
}

describe('a long host list under a burst of updates (browser e2e)', function () {
  // Chromium's first start on a busy machine takes a while, and so do eighty agents.
  this.timeout(90_000);

  const suite = browserSuite();
  let hub: RunningHub;
  let agents: AgentClient[];

  beforeEach(async () => {
    hub = await startTestHub(suite.cleanup, { agentToken: TOKEN });
    agents = [];
    for (let index = 0; index < HOSTS; index += 1) {
      const agent = await connectAgent(hub.url, validAuth(TOKEN, { hostId: hostId(index) }), suite.cleanup);
      expect(await send(agent, 'facts', validFacts({ hostname: hostId(index) }))).to.deep.equal({ ok: true });
      expect(await send(agent, 'snapshot', snapshotWithCpu(hostId(index), 1, 10))).to.deep.equal({ ok: true });
      agents.push(agent);
    }
  });

  async function openLive(height: number): Promise<{ page: Page; errors: string[] }> {
    const context = await suite.newContext({ viewport: { width: 1280, height } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${hub.url}/`);
    await waitForExpression(page, IS_LIVE, { timeout: 15_000 });
    expect(await page.evaluate(ROW_COUNT)).to.equal(HOSTS);
    return { page, errors };
  }

  it('should land every row of a batch in which all hosts changed, with the summary', async () => {
    // Tall enough that every row is on the screen, so every one is due at once.
    const { page, errors } = await openLive(8000);

    await Promise.all(agents.map((agent, index) => send(agent, 'snapshot', snapshotWithCpu(hostId(index), 2, 20 + index / 10))));
    agents[0]?.disconnect();

    const expected = agents.map((_, index) => `${(20 + index / 10).toFixed(1)}%`);
    await waitForExpression(
      page,
      `${JSON.stringify(expected)}.every((text, index) => (document.querySelectorAll('tbody[data-live-rows] tr')[index]?.textContent ?? '').includes(text))`,
      { timeout: 15_000 },
    );
    await waitForExpression(page, `document.querySelector('${row(hostId(0))} .status-offline') !== null`);
    expect(await page.textContent('[data-live-summary]')).to.equal(`${HOSTS} hosts: ${HOSTS - 1} online, 0 stale, 1 offline`);
    expect(await page.evaluate(ROW_COUNT)).to.equal(HOSTS);
    expect(errors).to.deep.equal([]);
  });

  it('should keep an off-screen row waiting until it scrolls into view, then show its newest value', async () => {
    const { page, errors } = await openLive(400);
    const first = hostId(0);
    const last = hostId(HOSTS - 1);
    const lastAgent = agents[HOSTS - 1] as AgentClient;

    expect(await send(lastAgent, 'snapshot', snapshotWithCpu(last, 2, 55.5))).to.deep.equal({ ok: true });
    expect(await send(lastAgent, 'snapshot', snapshotWithCpu(last, 3, 66.6))).to.deep.equal({ ok: true });
    expect(await send(agents[0] as AgentClient, 'snapshot', snapshotWithCpu(first, 2, 44.4))).to.deep.equal({ ok: true });
    await waitForExpression(page, `${rowText(first)}.includes('44.4%')`);
    // Updates come one flush a second; the one that carried the first row carried the last as well.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await page.evaluate(rowText(last)), 'out of sight, the row waits').to.contain('10.0%');

    await page.evaluate(`document.querySelector('${row(last)}').scrollIntoView()`);
    await waitForExpression(page, `${rowText(last)}.includes('66.6%')`);
    expect(await page.evaluate(rowText(last))).to.not.contain('55.5%');

    // A host forgotten out of sight leaves the page at once, and the summary counts it out.
    expect((await fetch(`${hub.url}/api/hosts/${hostId(HOSTS - 2)}`, { method: 'DELETE' })).status).to.equal(204);
    await waitForExpression(page, `${ROW_COUNT} === ${HOSTS - 1}`);
    expect(await page.textContent('[data-live-summary]')).to.equal(`${HOSTS - 1} hosts: ${HOSTS - 1} online, 0 stale, 0 offline`);
    expect(errors).to.deep.equal([]);
  });
});
