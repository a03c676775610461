import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { presentHostDetail } from './host-detail.presenter';
import { presentHostList } from './host-list.presenter';
import { FIXTURE_NOW, hostView, listed, namedHost } from './host-view.fixture';
import { VIEWS_DIR, createViewEngine, type ViewEngine } from './view-engine';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const TEMPLATE_INJECTION = "{{constructor.constructor('alert(1)')()}}";

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templateFiles(join(dir, entry.name)) : entry.name.endsWith('.hbs') ? [join(dir, entry.name)] : [],
  );
}

function hostileHost() {
  const latest = validSnapshot({ hostId: 'evil-1' });
  latest.processes.top[0] = { ...latest.processes.top[0], name: TEMPLATE_INJECTION, command: XSS_NAME, user: '"><script>x</script>' };
  latest.network[1] = { ...latest.network[1], name: '<svg onload=alert(2)>' };
  latest.filesystems[0] = { ...latest.filesystems[0], mount: '/mnt/<b>bold</b>' };
  return hostView({ hostId: 'evil-1', facts: validFacts({ hostname: XSS_NAME, agentVersion: '{{title}}' }), latest });
}

/** A host whose every string is a marker of its own, to find where each lands in the markup. */
function markedHost() {
  let next = 0;
  const mark = () => `M${String((next += 1)).padStart(2, '0')}Z`;
  const hostId = mark();
  const latest = validSnapshot({ hostId });
  latest.network[1] = { ...latest.network[1], name: mark(), mac: mark(), ipv4: [mark(), mark()], ipv6: [mark()] };
  latest.filesystems[0] = { ...latest.filesystems[0], mount: mark(), fsType: mark(), device: mark() };
  latest.processes.top[0] = { ...latest.processes.top[0], name: mark(), user: mark(), command: mark() };
  const facts = validFacts({
    hostname: mark(),
    os: { platform: mark(), distro: mark(), release: mark(), codename: mark(), kernel: mark(), arch: mark() },
    cpu: { ...validFacts().cpu, manufacturer: mark(), brand: mark() },
    agentVersion: mark(),
  });
  const markers = Array.from({ length: next }, (_, index) => `M${String(index + 1).padStart(2, '0')}Z`);
  return { host: hostView({ hostId, facts, latest }), markers };
}

/**
 * Where a marker shows as text without an element of its own around it. In
 * an attribute it is no text; in the title it is wrapped in isolate marks.
 */
function notSetApart(html: string, marker: string): string[] {
  const found: string[] = [];
  for (let at = html.indexOf(marker); at >= 0; at = html.indexOf(marker, at + marker.length)) {
    const before = html.slice(Math.max(0, at - 10), at);
    const after = html.slice(at + marker.length);
    const insideTag = html.lastIndexOf('<', at) > html.lastIndexOf('>', at);
    if (insideTag) continue;
    if (before.endsWith('<bdi>') && after.startsWith('</bdi>')) continue;
    if (before.endsWith('\u2068') && after.startsWith('\u2069')) continue;
    found.push(html.slice(Math.max(0, at - 40), at + marker.length + 20));
  }
  return found;
}

describe('dashboard views', () => {
  let sut: ViewEngine;

  before(() => {
    sut = createViewEngine(VIEWS_DIR);
  });

  describe('page frame', () => {
    it('should wrap a page in a complete HTML document that refreshes and links the stylesheet', async () => {
      const html = await sut.render('not-found', { title: 'Host not found', message: 'No host "x".' });

      expect(html.startsWith('<!doctype html>')).to.equal(true);
      expect(html).to.contain('<html lang="en">');
      expect(html).to.contain('<meta charset="utf-8">');
      expect(html).to.contain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).to.contain('<meta http-equiv="refresh" content="10">');
      expect(html).to.contain('<title>Host not found · Hostwatch</title>');
      expect(html).to.contain('<link rel="stylesheet" href="/static/style.css">');
      expect(html).to.match(/<header[^>]*>\s*<a class="brand" href="\/">Hostwatch<\/a>/);
    });

    it('should render the not-found page with its message escaped', async () => {
      const html = await sut.render('not-found', { title: 'Host not found', message: 'No host "<x>".' });

      expect(html).to.contain('<h1>Host not found</h1>');
      expect(html).to.contain('No host &quot;&lt;x&gt;&quot;.');
      expect(html).to.contain('<a href="/">Back to all hosts</a>');
    });
  });

  describe('index', () => {
    it('should list every host with a link to its page and the summary line', async () => {
      const hosts = [
        namedHost('web-10', 'web-10'),
        namedHost('web-2', 'web-2', { status: 'stale' }),
        namedHost('db-1', 'db-1', { status: 'offline', connected: false }),
      ];

      const html = await sut.render('index', presentHostList(hosts.map(listed), FIXTURE_NOW));

      expect(html).to.contain('3 hosts: 1 online, 1 stale, 1 offline');
      for (const id of ['web-10', 'web-2', 'db-1']) {
        expect(html).to.contain(`<a class="clamp" href="/hosts/${id}" title="${id}"><bdi>${id}</bdi></a>`);
      }
      expect(html.indexOf('/hosts/db-1')).to.be.lessThan(html.indexOf('/hosts/web-2'));
      expect(html.indexOf('/hosts/web-2')).to.be.lessThan(html.indexOf('/hosts/web-10'));
      expect(html).to.contain('<span class="status status-stale" title="Connected but silent for more than 3 intervals">stale</span>');
      expect(html).to.contain('<span class="status status-offline" title="Disconnected">offline</span>');
    });

    it('should show each column of a host row', async () => {
      const html = await sut.render('index', presentHostList([listed(hostView())], FIXTURE_NOW));

      expect(html).to.contain('<td><span class="clamp" title="Debian GNU/Linux 12"><bdi>Debian GNU/Linux</bdi> <bdi>12</bdi></span></td>');
      expect(html).to.contain('<meter max="100" low="70" high="90" optimum="0" value="12.5"></meter><span class="percent-text">12.5%</span>');
      expect(html).to.contain('<span class="percent-text">25.0%</span>');
      expect(html).to.contain('<span class="percent-text">30.0%</span>');
      expect(html).to.contain('10 min 0 s');
      const seen = new Date(FIXTURE_NOW - 12_000).toISOString();
      expect(html).to.contain(`<time datetime="${seen}" title="${seen}">12 s ago</time>`);
    });

    it('should explain how to connect an agent when there are no hosts', async () => {
      const html = await sut.render('index', presentHostList([], FIXTURE_NOW));

      expect(html).to.contain('No hosts yet');
      expect(html).to.contain('<code>npm run agent -- --hub URL --token T</code>');
      expect(html).to.not.contain('<table');
    });

    it('should draw no bar for a value that is not available', async () => {
      const html = await sut.render('index', presentHostList([listed(hostView({ latest: null }))], FIXTURE_NOW));

      expect(html).to.not.contain('<meter');
      expect(html).to.contain('<span class="percent-text">not available</span>');
    });
  });

  describe('host', () => {
    const sections = ['System', 'OS', 'CPU', 'Memory', 'Battery', 'Temperatures', 'Network', 'Disks', 'Processes'];

    it('should render every section with its heading', async () => {
      const html = await sut.render('host', presentHostDetail(hostView(), FIXTURE_NOW));

      for (const section of sections) {
        expect(html).to.contain(`<h2>${section}</h2>`);
      }
    });

    it('should render the values of each section', async () => {
      const html = await sut.render('host', presentHostDetail(hostView(), FIXTURE_NOW));

      expect(html).to.contain('<title>\u2068web-01\u2069 · Hostwatch</title>');
      expect(html).to.contain('<dd><bdi>bookworm</bdi></dd>');
      expect(html).to.contain('<dd><bdi>Intel</bdi> <bdi>Xeon E-2236</bdi></dd>');
      expect(html).to.match(/<span class="core-label">Core 1<\/span><span class="percent"><meter [^>]*value="15">/);
      expect(html).to.contain('<tr><th scope="row">Total</th><td>8.0 GiB</td></tr>');
      expect(html).to.contain('<th scope="row"><bdi>eth0</bdi></th>');
      expect(html).to.contain('<td class="mono addr"><bdi>192.0.2.10</bdi></td>');
      expect(html).to.contain('<span class="link link-up">up</span>');
      expect(html).to.contain('1000 Mbit/s');
      expect(html).to.contain('<td class="num">2.0 KiB/s</td>');
      expect(html).to.contain('<th scope="row" class="mono"><bdi>/</bdi></th>');
      expect(html).to.contain('<td class="num">100.0 GiB</td>');
      expect(html).to.contain('<td class="num">812</td>');
      expect(html).to.contain('<td class="mono command" title="node server.js"><bdi>node server.js</bdi></td>');
      expect(html).to.contain('Temperatures not available');
    });

    it('should say No battery when the snapshot has no battery', async () => {
      const html = await sut.render('host', presentHostDetail(hostView(), FIXTURE_NOW));

      expect(html).to.contain('<p class="note">No battery</p>');
    });

    it('should render a battery when there is one', async () => {
      const latest = validSnapshot({
        battery: { present: true, percent: 64, charging: true, acConnected: true, timeRemainingMinutes: null },
      });

      const html = await sut.render('host', presentHostDetail(hostView({ latest }), FIXTURE_NOW));

      expect(html).to.not.contain('No battery');
      expect(html).to.contain('<dt>Charging</dt>');
      expect(html).to.contain('<meter max="100" low="20" high="50" optimum="100" value="64"></meter><span class="percent-text">64.0%</span>');
    });

    it('should render a host that has facts but no snapshot yet', async () => {
      const html = await sut.render('host', presentHostDetail(hostView({ latest: null }), FIXTURE_NOW));

      for (const section of sections) {
        expect(html).to.contain(`<h2>${section}</h2>`);
      }
      expect(html).to.contain('<p class="notice">Waiting for the first sample.</p>');
      // Memory, battery, temperatures, per-core usage, network, disks and processes each say they wait.
      expect(html.match(/<p class="note">Waiting for the first sample.<\/p>/g)).to.have.length(7);
      expect(html).to.contain('<dd><bdi>Debian GNU/Linux</bdi></dd>');
    });

    it('should render a host that has a snapshot but no facts', async () => {
      const html = await sut.render('host', presentHostDetail(hostView({ hostId: 'node-7', facts: null }), FIXTURE_NOW));

      expect(html).to.contain('<h1><bdi>node-7</bdi></h1>');
      expect(html).to.contain('Waiting for the host’s facts');
      expect(html).to.contain('<dd><bdi>not available</bdi></dd>');
      expect(html).to.contain('<tr><th scope="row">Total</th><td>8.0 GiB</td></tr>');
    });
  });

  describe('escaping', () => {
    it('should escape a hostile host name on the list page', async () => {
      const html = await sut.render('index', presentHostList([listed(hostileHost())], FIXTURE_NOW));

      expect(html).to.not.contain('<img');
      expect(html).to.contain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    });

    it('should escape every hostile string on the detail page and show template text literally', async () => {
      const html = await sut.render('host', presentHostDetail(hostileHost(), FIXTURE_NOW));

      expect(html).to.not.contain('<img');
      expect(html).to.not.contain('<svg');
      expect(html).to.not.contain('<script>');
      expect(html).to.not.contain('<b>bold');
      expect(html).to.contain('<h1><bdi>&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</bdi></h1>');
      expect(html).to.contain('<th scope="row"><bdi>{{constructor.constructor(&#x27;alert(1)&#x27;)()}}</bdi></th>');
      expect(html).to.contain('<dd><bdi>{{title}}</bdi></dd>');
      expect(html).to.contain('title="&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"');
    });

    it('should set every value a host sent apart in an element of its own, on both pages', async () => {
      const { host, markers } = markedHost();
      const detail = await sut.render('host', presentHostDetail(host, FIXTURE_NOW));
      const list = await sut.render('index', presentHostList([listed(host)], FIXTURE_NOW));

      for (const marker of markers) {
        expect(detail, `${marker} shown on the host page`).to.contain(`<bdi>${marker}</bdi>`);
        expect(notSetApart(detail, marker), `${marker} on the host page`).to.deep.equal([]);
        expect(notSetApart(list, marker), `${marker} on the list`).to.deep.equal([]);
      }
    });

    it('should never use the raw triple-stash, and no inline styles', () => {
      for (const file of templateFiles(VIEWS_DIR)) {
        const text = readFileSync(file, 'utf8');
        const raw = text.match(/\{\{\{[^}]*\}\}\}|\{\{&/g) ?? [];
        expect(raw, file).to.deep.equal([]);
        expect(text, file).to.not.match(/\bstyle\s*=/i);
      }
    });
  });
});
