import { LIMITS } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../hub';
import { collectPageErrors, browserSuite, waitForExpression } from './browser';
import { connectAgent, send, type AgentClient, startTestHub } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';

/** Names an attacker controlling an agent would try; each must show as the literal text. */
const HOSTILE = {
  hostname: '<img src=x onerror=alert(1)>',
  process: "{{constructor.constructor('alert(1)')()}}",
  command: '<script>alert(2)</script>\u001b[31mred\u001b[0m',
  user: '\u202Eevil\u202C',
  iface: '<svg onload=alert(3)>',
  mount: '/"><img src=y onerror=alert(4)>',
};

function hostileSnapshot(seq: number) {
  const snapshot = validSnapshot({ hostId: 'evil-01', seq, ts: Date.now() });
  snapshot.processes.top[0] = { ...snapshot.processes.top[0], name: HOSTILE.process, command: HOSTILE.command, user: HOSTILE.user };
  snapshot.network[1] = { ...snapshot.network[1], name: HOSTILE.iface };
  snapshot.filesystems[0] = { ...snapshot.filesystems[0], mount: HOSTILE.mount };
  return snapshot;
}

describe('hostile host and process names (browser e2e)', function () {
  this.timeout(60_000);

  const suite = browserSuite();
  let hub: RunningHub;
  let agent: AgentClient;

  beforeEach(async () => {
    hub = await startTestHub(suite.cleanup, { agentToken: TOKEN });
    agent = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'evil-01' }), suite.cleanup);
    expect(await send(agent, 'facts', validFacts({ hostname: HOSTILE.hostname }))).to.deep.equal({ ok: true });
    expect(await send(agent, 'snapshot', hostileSnapshot(1))).to.deep.equal({ ok: true });
  });

  /** Opens a page that fails the test if any dialog opens, and waits until it is live. */
  async function open(path: string): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
    const page = await (await suite.newContext()).newPage();
    const errors = collectPageErrors(page);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${hub.url}${path}`);
    await waitForExpression(page, "document.documentElement.dataset.live === 'live'", { timeout: 15_000 });
    return { page, errors, dialogs };
  }

  async function injectedElements(page: Page): Promise<number> {
    return (await page.evaluate("document.querySelectorAll('img[src=x], img[src=y], svg[onload], script:not([src])').length")) as number;
  }

  it('should show a hostile host name as literal text on the list, also after a live update', async () => {
    const { page, errors, dialogs } = await open('/');

    expect(await page.textContent('table.hosts')).to.contain(HOSTILE.hostname);
    expect(await send(agent, 'snapshot', hostileSnapshot(2))).to.deep.equal({ ok: true });
    await page.waitForTimeout(1500);

    expect(await page.textContent('table.hosts')).to.contain(HOSTILE.hostname);
    expect(await injectedElements(page)).to.equal(0);
    expect(dialogs).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('should show hostile process, user, interface and mount names as literal text on the host page', async () => {
    const { page, errors, dialogs } = await open('/hosts/evil-01');
    // A live update re-renders the sections in the browser: the second path hostile text takes.
    expect(await send(agent, 'snapshot', hostileSnapshot(2))).to.deep.equal({ ok: true });
    await page.waitForTimeout(1500);

    const text = (await page.textContent('main')) ?? '';
    expect(text).to.contain(HOSTILE.hostname);
    expect(text).to.contain(HOSTILE.process);
    expect(text).to.contain(HOSTILE.user);
    expect(text).to.contain(HOSTILE.iface);
    expect(text).to.contain(HOSTILE.mount);
    expect(await injectedElements(page)).to.equal(0);
    expect(dialogs).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('should refuse a 100 KB host name and keep showing the last valid one', async () => {
    const ack = await send(agent, 'facts', validFacts({ hostname: 'x'.repeat(100 * 1024) }));

    expect(ack.ok).to.equal(false);
    expect(ack.ok === false && ack.error.code).to.equal('INVALID_MESSAGE');
    const { page } = await open('/');
    const shown = (await page.textContent('table.hosts')) ?? '';
    expect(shown).to.contain(HOSTILE.hostname);
    expect(shown.length).to.be.below(LIMITS.maxMessageBytes);
  });
});
