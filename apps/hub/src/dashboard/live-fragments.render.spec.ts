import { expect } from 'chai';
import { validFacts } from '@hostwatch/protocol/testing';
import { HOST_SECTIONS } from '../services/live.service';
import { presentHostDetail } from './host-detail.presenter';
import { presentHostList, presentHostRow } from './host-list.presenter';
import { FIXTURE_NOW, hostView } from './host-view.fixture';
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
    const list = await sut.render('index', presentHostList([hostView()], FIXTURE_NOW));
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
    const page = await sut.render('index', presentHostList([host], FIXTURE_NOW, new Map([['web-01', samples]])));

    const row = sut.renderPartial('host-row', presentHostRow(host, FIXTURE_NOW, samples));

    expect(row.trimStart()).to.match(/^<tr data-host-id="web-01" data-host-name="web-01.example">/);
    expect(row).to.match(/<svg class="sparkline" viewBox="0 0 60 16" [^>]*><title>CPU, last 2 samples, now 30 %<\/title><polyline points="0,[\d.]+ 60,[\d.]+"\/><\/svg>/);
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

    const row = sut.renderPartial('host-row', presentHostRow(hostile, FIXTURE_NOW));
    const heading = sut.renderPartial('host-heading', presentHostDetail(hostile, FIXTURE_NOW));

    for (const html of [row, heading]) {
      expect(html).to.not.contain('<img');
      expect(html).to.contain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    }
    expect(row).to.contain('data-host-name="&quot;&gt;&lt;img');
  });

  it('should refuse to render a partial that is not in the partials folder', () => {
    expect(() => sut.renderPartial('nope}}{{> layout', {})).to.throw(/No partial named/);
  });
});
