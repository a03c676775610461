import { expect } from 'chai';
import { ANY_HOST } from '../core/host-policy';
import { checkRequestOrigin, checkSocketOrigin, fromBrowser, safeNextPath } from './same-origin';

describe('same-origin checks', () => {
  describe('checkRequestOrigin', () => {
    it('should accept an Origin naming the host and port the request was sent to', () => {
      expect(checkRequestOrigin({ host: 'hub.lan:3000', origin: 'http://hub.lan:3000' }, ANY_HOST)).to.deep.equal({ ok: true });
      expect(checkRequestOrigin({ host: 'HUB.lan', origin: 'https://hub.lan' }, ANY_HOST), 'behind a TLS proxy, default ports').to.deep.equal({ ok: true });
    });

    it('should refuse another host, another port, a null Origin and a non-web scheme', () => {
      for (const origin of ['http://evil.example', 'http://hub.lan:3001', 'null', 'file://', 'http://hub.lan.evil.example:3000']) {
        expect(checkRequestOrigin({ host: 'hub.lan:3000', origin }, ANY_HOST).ok, origin).to.equal(false);
      }
    });

    it('should fall back to Referer, and refuse a request that names neither', () => {
      expect(checkRequestOrigin({ host: 'hub.lan:3000', referer: 'http://hub.lan:3000/hosts/a' }, ANY_HOST).ok).to.equal(true);
      expect(checkRequestOrigin({ host: 'hub.lan:3000', referer: 'http://evil.example/' }, ANY_HOST).ok).to.equal(false);
      expect(checkRequestOrigin({ host: 'hub.lan:3000' }, ANY_HOST).ok).to.equal(false);
    });
  });

  describe('checkSocketOrigin', () => {
    it('should refuse a foreign Origin whether or not sign-in is needed', () => {
      expect(checkSocketOrigin({ host: 'hub.lan:3000', origin: 'http://evil.example' }, false, ANY_HOST).ok).to.equal(false);
      expect(checkSocketOrigin({ host: 'hub.lan:3000', origin: 'http://evil.example' }, true, ANY_HOST).ok).to.equal(false);
    });

    it('should accept a same-origin polling request that carries only Sec-Fetch-Site, and refuse a cross-site one', () => {
      expect(checkSocketOrigin({ host: 'hub.lan:3000', 'sec-fetch-site': 'same-origin' }, true, ANY_HOST).ok).to.equal(true);
      expect(checkSocketOrigin({ host: 'hub.lan:3000', 'sec-fetch-site': 'cross-site' }, false, ANY_HOST).ok).to.equal(false);
    });

    it('should let a client with no browser headers in only where no sign-in is needed', () => {
      expect(checkSocketOrigin({ host: 'hub.lan:3000' }, false, ANY_HOST).ok).to.equal(true);
      expect(checkSocketOrigin({ host: 'hub.lan:3000' }, true, ANY_HOST).ok).to.equal(false);
    });
  });

  describe('fromBrowser', () => {
    it('should tell a browser request by Origin, Referer or Sec-Fetch-Site, and a script by none of them', () => {
      expect(fromBrowser({ origin: 'http://a' })).to.equal(true);
      expect(fromBrowser({ referer: 'http://a/' })).to.equal(true);
      expect(fromBrowser({ 'sec-fetch-site': 'same-origin' })).to.equal(true);
      expect(fromBrowser({ 'sec-fetch-mode': 'cors', 'user-agent': 'node' })).to.equal(false);
    });
  });

  describe('safeNextPath', () => {
    it('should keep a path on this hub with its query and fragment', () => {
      expect(safeNextPath('/hosts/web-01?range=24h#charts')).to.equal('/hosts/web-01?range=24h#charts');
    });

    it('should turn anything that could leave the hub, or loop back to the sign-in page, into /', () => {
      for (const next of [
        '//evil.example',
        '/\\evil.example',
        'https://evil.example/',
        'evil.example',
        'javascript:alert(1)',
        '/\t/evil.example',
        '/login',
        '',
        42,
        undefined,
        `/${'a'.repeat(3000)}`,
      ]) {
        expect(safeNextPath(next), String(next)).to.equal('/');
      }
    });
  });
});
