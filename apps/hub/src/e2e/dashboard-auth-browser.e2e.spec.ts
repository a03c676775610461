import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../hub';
import { collectPageErrors, browserSuite, waitForExpression } from './browser';
import { connectAgent, send, startTestHub } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';
const PASSWORD = 'correct horse battery staple';
const IS_LIVE = `document.documentElement.dataset.live === 'live'`;

// Runs before any page script, outside the page's CSP, so it sees every violation, reported or not.
const RECORD_CSP_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sourceFile + ':' + event.lineNumber);
  });
`;

describe('signing in to the dashboard (browser e2e)', function () {
  this.timeout(60_000);

  const suite = browserSuite();

  async function start(): Promise<{ hub: RunningHub; url: string }> {
    // Listening beyond loopback is what makes the hub ask for sign-in.
    const hub = await startTestHub(suite.cleanup, { host: '0.0.0.0', agentToken: TOKEN, adminPassword: PASSWORD });
    const url = `http://127.0.0.1:${hub.port}`;
    const agent = await connectAgent(url, validAuth(TOKEN, { hostId: 'web-01' }), suite.cleanup);
    expect(await send(agent, 'facts', validFacts({ hostname: 'web-01.example' }))).to.deep.equal({ ok: true });
    expect(await send(agent, 'snapshot', validSnapshot({ hostId: 'web-01', seq: 1, ts: Date.now() }))).to.deep.equal({ ok: true });
    return { hub, url };
  }

  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await suite.newContext();
    await context.addInitScript(RECORD_CSP_VIOLATIONS);
    const page = await context.newPage();
    return { page, errors: collectPageErrors(page) };
  }

  async function cspViolations(page: Page): Promise<string[]> {
    return (await page.evaluate('window.__cspViolations')) as string[];
  }

  it('should sign in through the form, then show the host list and a host page live, with no console errors or CSP violations', async () => {
    const { url } = await start();
    const { page, errors } = await openPage();

    await page.goto(`${url}/hosts/web-01`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    expect(await page.textContent('h1')).to.equal('Sign in');
    expect(await cspViolations(page)).to.deep.equal([]);

    await page.fill('input[name="password"]', 'not the password');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(await page.textContent('[role="alert"]')).to.contain('Wrong password');

    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(`${url}/hosts/web-01`), page.click('button[type="submit"]')]);
    await waitForExpression(page, IS_LIVE, { timeout: 15_000 });
    expect(await page.textContent('h1')).to.contain('web-01.example');
    // The charts drew from the history API, so fetch and uPlot ran under the policy.
    await page.waitForSelector('.charts-grid:not([hidden]) [data-chart="cpu"] canvas', { timeout: 15_000 });
    expect(await page.isVisible('form[data-forget-host] button')).to.equal(true);
    expect(await cspViolations(page)).to.deep.equal([]);

    await page.goto(`${url}/`);
    await waitForExpression(page, IS_LIVE, { timeout: 15_000 });
    expect(await page.textContent('tbody[data-live-rows] tr[data-host-id="web-01"]')).to.contain('web-01.example');
    expect(await cspViolations(page)).to.deep.equal([]);

    // The policy is in force and the recorder sees it: an injected inline script is blocked and reported.
    await page.evaluate(`document.body.appendChild(Object.assign(document.createElement('script'), { textContent: 'window.inlineRan = true' }))`);
    await waitForExpression(page, 'window.__cspViolations.length > 0');
    expect((await cspViolations(page))[0]).to.match(/^script-src/);
    expect(await page.evaluate('window.inlineRan')).to.equal(undefined);

    // The failed sign-in is a 401 the browser logs as a failed resource; nothing else may show up.
    expect(errors.filter((error) => !/401 \(Unauthorized\)|Content Security Policy/.test(error))).to.deep.equal([]);
  });

  it('should go back to the sign-in page after signing out, and not show hosts there', async () => {
    const { url } = await start();
    const { page, errors } = await openPage();
    await page.goto(`${url}/login`);
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(`${url}/`), page.click('button[type="submit"]')]);
    await waitForExpression(page, IS_LIVE, { timeout: 15_000 });

    // The closed live socket and the form's answer race to the sign-in page; either way the page ends there.
    await page.click('form.sign-out button');
    await waitForExpression(page, `location.pathname === '/login' && document.readyState === 'complete'`);
    await page.goto(`${url}/`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    expect(await page.content()).to.not.contain('web-01.example');
    expect(await cspViolations(page)).to.deep.equal([]);
    // Closing the session's socket may cut a polling request short (a 400 the browser logs); nothing may throw.
    expect(errors.filter((error) => error.startsWith('uncaught'))).to.deep.equal([]);
  });
});
