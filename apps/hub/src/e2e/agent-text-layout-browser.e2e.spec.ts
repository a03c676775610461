import { LIMITS, type HostFacts, type Snapshot } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../hub';
import { browserSuite, collectPageErrors, waitForExpression } from './browser';
import { connectAgent, send, startTestHub, type AgentClient } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';

/** A run of letters with no break opportunity, as long as the schema lets a field be. */
function unbroken(prefix: string, length: number): string {
  return `${prefix}${'x'.repeat(length - prefix.length)}`;
}

const LONG_ID = unbroken('long-', LIMITS.hostIdLength);
const BIDI_ID = 'bidi-01';
const PLAIN_ID = 'web-01';

/** Every string the pages show from an agent, each as long as its limit allows and without a space in it. */
function longFacts(): HostFacts {
  return validFacts({
    hostname: unbroken('hostname-', LIMITS.text),
    os: {
      platform: unbroken('platform-', LIMITS.shortText),
      distro: unbroken('distro-', 120),
      release: unbroken('release-', LIMITS.shortText),
      codename: unbroken('codename-', LIMITS.shortText),
      kernel: unbroken('kernel-', LIMITS.text),
      arch: unbroken('arch-', LIMITS.shortText),
    },
    cpu: { ...validFacts().cpu, manufacturer: unbroken('vendor-', LIMITS.shortText), brand: unbroken('brand-', LIMITS.text) },
    agentVersion: unbroken('version-', LIMITS.shortText),
  });
}

function longSnapshot(seq: number, cpu: number): Snapshot {
  const snapshot = validSnapshot({ hostId: LONG_ID, seq, ts: Date.now() });
  const addresses = (prefix: string) => [unbroken(`${prefix}a-`, LIMITS.shortText), unbroken(`${prefix}b-`, LIMITS.shortText)];
  snapshot.cpu.usagePercent = cpu;
  snapshot.network[1] = {
    ...snapshot.network[1]!,
    name: unbroken('iface-', LIMITS.shortText),
    mac: unbroken('mac-', LIMITS.shortText),
    ipv4: addresses('v4'),
    ipv6: addresses('v6'),
  };
  snapshot.filesystems[0] = {
    ...snapshot.filesystems[0]!,
    mount: `/${unbroken('mount-', LIMITS.longText - 1)}`,
    fsType: unbroken('fstype-', LIMITS.shortText),
    device: unbroken('device-', LIMITS.longText),
  };
  snapshot.processes.top[0] = {
    ...snapshot.processes.top[0]!,
    name: unbroken('process-', LIMITS.text),
    user: unbroken('user-', LIMITS.shortText),
    command: unbroken('command-', LIMITS.commandText),
  };
  return snapshot;
}

/**
 * Right-to-left overrides at the start of values that are shown beside
 * others: left alone, the override runs on into what follows, and "xunil" then
 * "12" read "21 linux". The second address also tries to end an isolate early.
 */
function bidiFacts(release: string): HostFacts {
  return validFacts({
    hostname: '\u202Ebidi-host',
    os: { ...validFacts().os, distro: '\u202Exunil', release },
    cpu: { ...validFacts().cpu, manufacturer: '\u202Eronev', brand: 'Xeon' },
  });
}

function bidiSnapshot(seq: number, cpu: number): Snapshot {
  const snapshot = validSnapshot({ hostId: BIDI_ID, seq, ts: Date.now() });
  snapshot.cpu.usagePercent = cpu;
  snapshot.network[1] = { ...snapshot.network[1]!, name: '\u202E0hte', ipv4: ['\u202E01.2.0.291', '\u2069\u202E11.2.0.291', '192.0.2.12'] };
  return snapshot;
}

// Page-side code is kept as source text: the hub compiles against Node's types, not the DOM's.

/**
 * Every place where boxes sit side by side: the cells of each table, a
 * field's label and value, the cards, the heading. No two boxes may overlap,
 * no box's content may stick out of it unless the box clips it and shows that
 * it does (an ellipsis), no cell is wider than the table's frame it is seen
 * through (a long value would push its neighbours out of sight), and the page
 * itself never scrolls sideways.
 */
const LAYOUT_PROBLEMS = `(() => {
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 24) + '"';
  const overlap = (a, b) => {
    const x = a.getBoundingClientRect();
    const y = b.getBoundingClientRect();
    return x.left < y.right - 1 && y.left < x.right - 1 && x.top < y.bottom - 1 && y.top < x.bottom - 1;
  };
  const groups = [];
  for (const table of document.querySelectorAll('main table')) groups.push(Array.from(table.querySelectorAll(':scope > * > tr > *')));
  for (const field of document.querySelectorAll('main .field')) groups.push(Array.from(field.children));
  for (const parent of document.querySelectorAll('main .cards, main .host-heading')) groups.push(Array.from(parent.children));
  for (const cells of groups) {
    for (let i = 0; i < cells.length; i += 1) {
      for (let j = i + 1; j < cells.length; j += 1) {
        if (overlap(cells[i], cells[j])) problems.push('overlap: ' + name(cells[i]) + ' and ' + name(cells[j]));
      }
    }
  }
  for (const cell of groups.flat()) {
    const frame = cell.closest('.table-wrap');
    if (frame && cell.getBoundingClientRect().width > frame.clientWidth + 1) problems.push('wider than its table: ' + name(cell));
  }
  const boxes = new Set(groups.flat());
  for (const el of document.querySelectorAll('main h1, main .card, main .sub, main dd, main dt, main .chart-plot')) boxes.add(el);
  for (const box of boxes) {
    const style = getComputedStyle(box);
    if (style.display.startsWith('inline') && style.display !== 'inline-block') continue;
    const clips = style.overflowX !== 'visible';
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!clips) problems.push('overflows: ' + name(box) + ' ' + box.scrollWidth + ' > ' + box.clientWidth);
      else if (style.textOverflow !== 'ellipsis') problems.push('clipped unseen: ' + name(box));
    }
  }
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1) problems.push('page scrolls sideways: ' + page.scrollWidth + ' > ' + page.clientWidth);
  return problems;
})()`;

/**
 * Whether the given parts of an element's text appear on the screen in the
 * order they are written in: each left of the next on a line, or on a later
 * line. Answers the problems found, or that a part is missing.
 */
function orderProblems(selector: string, parts: readonly string[]): string {
  return `(() => {
    const root = document.querySelector(${JSON.stringify(selector)});
    if (!root) return ['missing: ' + ${JSON.stringify(selector)}];
    const nodes = [];
    let text = '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node, start: text.length });
      text += node.data;
    }
    const at = (index) => {
      let found = nodes[0];
      for (const entry of nodes) if (entry.start <= index) found = entry;
      return [found.node, index - found.start];
    };
    const problems = [];
    let from = 0;
    let previous = null;
    for (const part of ${JSON.stringify(parts)}) {
      const index = text.indexOf(part, from);
      if (index < 0) return problems.concat('missing: ' + JSON.stringify(part) + ' after ' + from + ' in ' + JSON.stringify(text));
      const range = document.createRange();
      range.setStart(...at(index));
      range.setEnd(...at(index + part.length));
      const box = range.getBoundingClientRect();
      if (previous) {
        const sameLine = box.top < previous.bottom - 1 && previous.top < box.bottom - 1;
        const after = sameLine ? box.left >= previous.right - 1 : box.top >= previous.bottom - 1;
        if (!after) problems.push(JSON.stringify(part) + ' shows before the value it follows in ' + JSON.stringify(text));
      }
      previous = box;
      from = index + part.length;
    }
    return problems;
  })()`;
}

const WIDTHS = [1280, 390] as const;

/**
 * Measures once the page has drawn what it shows. The list's rows skip their
 * layout until drawn (content-visibility), and a row the live script has just
 * swapped in is not drawn until the next frame: measured before, it would
 * have a placeholder's height.
 */
async function measure(page: Page, script: string): Promise<unknown> {
  await waitForExpression(
    page,
    "Array.from(document.querySelectorAll('tbody[data-live-rows] > tr > :first-child')).every((cell) => cell.checkVisibility({ contentVisibilityAuto: true }))",
  );
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))');
  return page.evaluate(script);
}

describe('agent text within the page (browser e2e)', function () {
  this.timeout(90_000);

  const suite = browserSuite();
  let hub: RunningHub;
  let longAgent: AgentClient;
  let bidiAgent: AgentClient;

  beforeEach(async () => {
    hub = await startTestHub(suite.cleanup, { agentToken: TOKEN });
    longAgent = await connectAgent(hub.url, validAuth(TOKEN, { hostId: LONG_ID }), suite.cleanup);
    expect(await send(longAgent, 'facts', longFacts())).to.deep.equal({ ok: true });
    expect(await send(longAgent, 'snapshot', longSnapshot(1, 11))).to.deep.equal({ ok: true });
    bidiAgent = await connectAgent(hub.url, validAuth(TOKEN, { hostId: BIDI_ID }), suite.cleanup);
    expect(await send(bidiAgent, 'facts', bidiFacts('12'))).to.deep.equal({ ok: true });
    expect(await send(bidiAgent, 'snapshot', bidiSnapshot(1, 11))).to.deep.equal({ ok: true });
    const plain = await connectAgent(hub.url, validAuth(TOKEN, { hostId: PLAIN_ID }), suite.cleanup);
    expect(await send(plain, 'facts', validFacts())).to.deep.equal({ ok: true });
    expect(await send(plain, 'snapshot', validSnapshot({ hostId: PLAIN_ID, seq: 1, ts: Date.now() }))).to.deep.equal({ ok: true });
  });

  async function open(path: string, width: number): Promise<{ page: Page; errors: string[] }> {
    const page = await (await suite.newContext({ viewport: { width, height: 900 } })).newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${hub.url}${path}`);
    await waitForExpression(page, "document.documentElement.dataset.live === 'live'", { timeout: 15_000 });
    return { page, errors };
  }

  /** New values from both agents, so that the page patches in rows or sections rendered anew. */
  async function update(seq: number): Promise<void> {
    expect(await send(bidiAgent, 'facts', bidiFacts('13'))).to.deep.equal({ ok: true });
    expect(await send(bidiAgent, 'snapshot', bidiSnapshot(seq, 22))).to.deep.equal({ ok: true });
    expect(await send(longAgent, 'snapshot', longSnapshot(seq, 22))).to.deep.equal({ ok: true });
  }

  for (const width of WIDTHS) {
    it(`should keep every value of the host list in its own cell and in order at ${width} px, also after a live update`, async () => {
      const { page, errors } = await open('/', width);
      const bidiOs = `tr[data-host-id="${BIDI_ID}"] > :nth-child(2)`;
      const longCpu = `document.querySelector('tr[data-host-id="${LONG_ID}"] > :nth-child(4)').textContent.includes('22.0%')`;

      expect(await measure(page, LAYOUT_PROBLEMS), 'as served').to.deep.equal([]);
      expect(await measure(page, orderProblems(bidiOs, ['xunil', '12'])), 'as served').to.deep.equal([]);

      await update(2);
      await waitForExpression(page, `${longCpu} && document.querySelector('${bidiOs}').textContent.includes('13')`);
      expect(await measure(page, LAYOUT_PROBLEMS), 'after a live update').to.deep.equal([]);
      expect(await measure(page, orderProblems(bidiOs, ['xunil', '13'])), 'after a live update').to.deep.equal([]);
      expect(errors).to.deep.equal([]);
    });

    it(`should keep every value of a host page in its own box and in order at ${width} px, also after a live update`, async () => {
      const { page: longPage, errors: longErrors } = await open(`/hosts/${LONG_ID}`, width);
      const { page: bidiPage, errors: bidiErrors } = await open(`/hosts/${BIDI_ID}`, width);
      const model = '#cpu .field:first-child dd';
      const ipv4 = '#network tbody tr:nth-child(2) > :nth-child(5)';
      const legend = '[data-chart="network"] .u-legend .u-series:nth-child(2) .u-label';
      const bidiOrder = async () => [
        ...((await bidiPage.evaluate(orderProblems(model, ['ronev', 'Xeon']))) as string[]),
        ...((await bidiPage.evaluate(orderProblems(ipv4, ['01.2.0.291', '11.2.0.291', '192.0.2.12']))) as string[]),
        ...((await bidiPage.evaluate(orderProblems(legend, ['0hte', 'in']))) as string[]),
      ];
      await waitForExpression(bidiPage, `document.querySelector('${legend}') !== null`);

      expect(await measure(longPage, LAYOUT_PROBLEMS), 'as served').to.deep.equal([]);
      expect(await bidiOrder(), 'as served').to.deep.equal([]);
      // The title is plain text: the name is set apart with isolate marks instead of an element.
      expect(await bidiPage.title()).to.equal('\u2068\u202Ebidi-host\u2069 · Hostwatch');

      await update(2);
      await waitForExpression(longPage, "document.querySelector('#cpu').textContent.includes('22.0%')");
      await waitForExpression(bidiPage, "document.querySelector('#os').textContent.includes('13')");
      expect(await measure(longPage, LAYOUT_PROBLEMS), 'after a live update').to.deep.equal([]);
      expect(await bidiOrder(), 'after a live update').to.deep.equal([]);
      expect(longErrors).to.deep.equal([]);
      expect(bidiErrors).to.deep.equal([]);
    });
  }
});
