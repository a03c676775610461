import { expect } from 'chai';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import type { HostView } from '../hosts/host.types';
import type { RecentSample } from '../history/recent-samples.repository';
import { HOST_SECTIONS } from '../live/live.service';
import { presentHostDetail } from './host-detail.presenter';
import { presentHostList, presentListRow, type HostListRow } from './host-list.presenter';
import { FIXTURE_NOW, hostView, listed } from './host-view.fixture';
import { VIEWS_DIR, createViewEngine, type ViewEngine } from './view-engine';

/** Partials are indented where a page includes them; what a browser parses is the same either way. */
function squash(html: string): string {
  return html.replace(/\s+/g, ' ').trim();
}

const XSS_NAME = '"><img src=x onerror=alert(1)>';

describe('live fragments', () => {
  let sut: ViewEngine;

  before(() => {
    sut = createViewEngine(VIEWS_DIR);
  });

  it('should reload every 10 s only without JavaScript, and load the live script on live pages only', async () => {
    const list = await sut.render('index', presentHostList([listed(hostView())], FIXTURE_NOW));
    const host = await sut.render('host', presentHostDetail(hostView(), FIXTURE_NOW));
    const missing = await sut.render('not-found', { title: 'Host not found', message: 'No such host.' });

    for (const html of [list, host, missing]) {
      expect(html).to.contain('<noscript><meta http-equiv="refresh" content="10"></noscript>');
      expect(html.match(/http-equiv="refresh"/g)).to.have.length(1);
      expect(html).to.contain('<span class="live-indicator" data-live-indicator hidden></span>');
    }
    expect(list).to.contain('<main class="page" data-live-view="list">');
    expect(host).to.contain('<main class="page" data-live-view="host" data-host-id="web-01">');
    for (const html of [list, host]) {
      expect(html).to.contain('<script src="/socket.io/socket.io.min.js" defer></script>');
      expect(html).to.contain('<script src="/static/live.js" defer></script>');
    }
    expect(missing).to.contain('<main class="page">');
    expect(missing).to.not.contain('<script');
  });

  it('should render a list row exactly as the page does, keyed by host id and name', async () => {
    const host = hostView({ facts: validFacts({ hostname: 'web-01.example' }) });
    const samples = [
      { ts: 1, cpu: 10, memory: 20 },
      { ts: 2, cpu: 30, memory: 40 },
    ];
    const page = await sut.render('index', presentHostList([listed(host)], FIXTURE_NOW, new Map([['web-01', samples]])));

    const row = sut.renderPartial('host-row', presentListRow(listed(host), FIXTURE_NOW, samples));

    expect(row.trimStart()).to.match(/^<tr data-host-id="web-01" data-host-name="web-01.example">/);
    expect(row).to.contain(
      '<svg class="sparkline" viewBox="0 0 1 100" preserveAspectRatio="none" width="60" height="16" role="img"><title>CPU, last 2 samples, now 30 %</title><polyline points="0,90 1,70"/></svg>',
    );
    expect(squash(page)).to.contain(squash(row));
  });

  it('should render each host page section exactly as the page does, marked with its name', async () => {
    const view = presentHostDetail(hostView(), FIXTURE_NOW);
    const page = squash(await sut.render('host', view));

    for (const name of HOST_SECTIONS) {
      const section = sut.renderPartial(name, view);
      expect(section.trimStart(), name).to.match(new RegExp(`^<[a-z]+ [^>]*data-live-section="${name}"`));
      expect(page, name).to.contain(squash(section));
    }
  });

  it('should escape what a host sent in fragments too, attributes included', () => {
    const hostile = hostView({ facts: validFacts({ hostname: XSS_NAME }) });

    const row = sut.renderPartial('host-row', presentListRow(listed(hostile), FIXTURE_NOW));
    const heading = sut.renderPartial('host-heading', presentHostDetail(hostile, FIXTURE_NOW));

    for (const html of [row, heading]) {
      expect(html).to.not.contain('<img');
      expect(html).to.contain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    }
    expect(row).to.contain('data-host-name="&quot;&gt;&lt;img');
  });

  describe('kept rows', () => {
    /** The row of `host`, counting how often a template reads the part of it that is kept. */
    function countedRow(host: HostView, now: number, samples: RecentSample[] = []): { row: HostListRow; reads: () => number } {
      const real = presentListRow(listed(host), now, samples);
      let reads = 0;
      const row: HostListRow = {
        hostId: real.hostId,
        name: real.name,
        fragmentId: real.fragmentId,
        fragmentKey: real.fragmentKey,
        lastSeen: real.lastSeen,
        view: () => {
          reads += 1;
          return real.view();
        },
      };
      return { row, reads: () => reads };
    }

    it('should draw a row once, and on a later render with only the clock moved redraw just its last-seen time', () => {
      const engine = createViewEngine(VIEWS_DIR);
      const host = hostView({ lastSeen: FIXTURE_NOW });
      const first = countedRow(host, FIXTURE_NOW);
      const later = countedRow(host, FIXTURE_NOW + 75_000);

      const before = engine.renderPartial('host-row', first.row);
      const after = engine.renderPartial('host-row', later.row);

      expect(first.reads()).to.be.greaterThan(0);
      expect(later.reads(), 'the kept markup was reused').to.equal(0);
      expect(before).to.contain('>just now</time>');
      expect(after).to.contain('>1 min ago</time>');
      expect(after.replace('1 min ago', 'just now')).to.equal(before);
    });

    it('should draw a row anew when its snapshot, status, name, OS or samples change', () => {
      const engine = createViewEngine(VIEWS_DIR);
      const base = hostView();
      const changes: Array<[string, HostView, RecentSample[], string]> = [
        ['snapshot', hostView({ latest: { ...validSnapshot({ seq: 2 }), cpu: { ...validSnapshot().cpu, usagePercent: 66.6 } } }), [], '66.6%'],
        ['status', hostView({ status: 'offline', connected: false }), [], 'status-offline'],
        ['name', hostView({ facts: validFacts({ hostname: 'renamed.example' }) }), [], 'renamed.example'],
        ['os', hostView({ facts: validFacts({ os: { ...validFacts().os, distro: 'Alpine Linux', release: '3.20' } }) }), [], 'Alpine Linux 3.20'],
        ['samples', base, [{ ts: 1, cpu: 42, memory: 10 }], 'now 42 %'],
      ];
      engine.renderPartial('host-row', presentListRow(listed(base), FIXTURE_NOW));

      for (const [what, host, samples, shows] of changes) {
        const counted = countedRow(host, FIXTURE_NOW, samples);
        expect(engine.renderPartial('host-row', counted.row), what).to.contain(shows);
        expect(counted.reads(), what).to.be.greaterThan(0);
        engine.renderPartial('host-row', presentListRow(listed(base), FIXTURE_NOW));
      }
    });

    it('should keep what a host sent escaped when the row comes from what was kept', () => {
      const engine = createViewEngine(VIEWS_DIR);
      const hostile = hostView({ facts: validFacts({ hostname: XSS_NAME }) });
      engine.renderPartial('host-row', presentListRow(listed(hostile), FIXTURE_NOW));
      const kept = countedRow(hostile, FIXTURE_NOW + 1000);

      const row = engine.renderPartial('host-row', kept.row);

      expect(kept.reads()).to.equal(0);
      expect(row).to.not.contain('<img');
      expect(row).to.contain('data-host-name="&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"');
    });

    it('should draw a forgotten row anew, and keep no more rows than its limit, dropping the least recently drawn', () => {
      const engine = createViewEngine(VIEWS_DIR, 2);
      const hosts = ['a', 'b', 'c'].map((hostId) => hostView({ hostId }));
      for (const host of hosts) engine.renderPartial('host-row', presentListRow(listed(host), FIXTURE_NOW));

      const reads = (host: HostView): number => {
        const counted = countedRow(host, FIXTURE_NOW);
        engine.renderPartial('host-row', counted.row);
        return counted.reads();
      };

      expect(reads(hosts[2] as HostView), 'c is kept').to.equal(0);
      expect(reads(hosts[0] as HostView), 'a was dropped for c').to.be.greaterThan(0);
      engine.forgetFragment('host-row:c');
      expect(reads(hosts[2] as HostView), 'c was forgotten').to.be.greaterThan(0);
    });

    it('should refuse a reuse block without a string id and key', () => {
      const engine = createViewEngine(VIEWS_DIR);

      expect(() => engine.renderPartial('host-row', { ...presentListRow(listed(hostView()), FIXTURE_NOW), fragmentKey: 7 })).to.throw(
        /needs a string id and key/,
      );
    });
  });

  it('should refuse to render a partial that is not in the partials folder', () => {
    expect(() => sut.renderPartial('nope}}{{> layout', {})).to.throw(/No partial named/);
  });
});
