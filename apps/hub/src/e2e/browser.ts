import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { Cleanup } from './e2e.helpers';

/** Debian's Chromium; `.ci/run` installs it. Never a downloaded browser build. */
export const CHROMIUM_PATH = process.env['HOSTWATCH_CHROMIUM'] ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts headless Chromium, closed at cleanup. Fails with instructions where it is not installed. */
export async function launchBrowser(cleanup: Cleanup): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set HOSTWATCH_CHROMIUM`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  cleanup.add(() => browser.close());
  return browser;
}

/** Collects the page's console errors and uncaught exceptions, for a test to assert there are none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/**
 * Waits until a page-side expression is truthy. Playwright's waitForFunction
 * compiles its predicate with `new Function` inside the page, which the hub's
 * Content-Security-Policy (no 'unsafe-eval') forbids; page.evaluate runs through
 * the DevTools protocol, outside the page's CSP, so polling it works on every page.
 */
export async function waitForExpression(page: Page, expression: string, options: { timeout?: number } = {}): Promise<void> {
  const timeout = options.timeout ?? 30_000;
  const deadline = Date.now() + timeout;
  let lastError: unknown = null;
  for (;;) {
    try {
      if (await page.evaluate(expression)) return;
      lastError = null;
    } catch (error) {
      // A page in the middle of navigating, or an element not there yet: try again.
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${expression}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BrowserSuite {
  /** What to undo after the current test: hubs, agents, browser contexts. */
  readonly cleanup: Cleanup;
  /** A fresh browser context (its own cookies and storage), closed after the current test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * Registers mocha hooks in the calling `describe`: one Chromium for the whole
 * suite, since starting it is slow, and a fresh Cleanup for every test.
 */
export function browserSuite(): BrowserSuite {
  let suiteCleanup: Cleanup;
  let browser: Browser | null = null;
  let testCleanup: Cleanup | null = null;

  before(async () => {
    suiteCleanup = new Cleanup();
    browser = await launchBrowser(suiteCleanup);
  });
  after(() => suiteCleanup.run());
  beforeEach(() => {
    testCleanup = new Cleanup();
  });
  afterEach(() => testCleanup?.run());

  const current = (): Cleanup => {
    if (!testCleanup) throw new Error('browserSuite: no test is running');
    return testCleanup;
  };
  return {
    get cleanup() {
      return current();
    },
    async newContext(options) {
      if (!browser) throw new Error('browserSuite: Chromium did not start');
      const context = await browser.newContext(options);
      current().add(() => context.close());
      return context;
    },
  };
}
