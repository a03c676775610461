import { expect } from 'chai';
import { allowsOrigin, checkHost, describeHostPolicy, hostPolicyFor, parseHostName, publicNames } from './host-policy';

describe('host policy', () => {
  describe('parseHostName', () => {
    it("should read names, addresses and ports into the URL parser's normal form", () => {
      expect(parseHostName('Hub.Example.COM:3000')).to.deep.equal({ hostname: 'hub.example.com', port: '3000' });
      expect(parseHostName('[0:0::1]')).to.deep.equal({ hostname: '[::1]', port: null });
      expect(parseHostName('127.1:08')).to.deep.equal({ hostname: '127.0.0.1', port: '8' });
    });

    it('should refuse anything that could hide another host: user info, paths, spaces, empty ports', () => {
      for (const text of ['evil.example@127.0.0.1', '127.0.0.1/evil', 'a b', 'localhost:', 'localhost:99999', '', '[::1', 'localhost:3000:1', 'hub\\evil']) {
        expect(parseHostName(text), text).to.equal(null);
      }
    });
  });

  describe('on a loopback bind with no list', () => {
    const sut = hostPolicyFor({ host: '127.0.0.1' }, true);

    it('should accept localhost, 127.0.0.0/8 and [::1] on any port, and nothing else', () => {
      for (const host of ['localhost', 'localhost:3000', '127.0.0.1:3000', '127.255.0.9', '[::1]:1', 'LocalHost:80']) {
        expect(checkHost(sut, host), host).to.deep.equal({ ok: true });
      }
      for (const host of [
        undefined,
        'evil.example:3000',
        'localhost.evil.example',
        'evil.localhost',
        'localhost.:3000',
        '128.0.0.1',
        '0.0.0.0',
        '[::ffff:127.0.0.1]',
        '10.0.0.1',
        'evil@localhost',
      ]) {
        const verdict = checkHost(sut, host);
        expect(verdict.ok, String(host)).to.equal(false);
      }
      const verdict = checkHost(sut, 'evil.example:3000');
      expect(verdict.ok === false && verdict.reason)
        .to.contain('evil.example:3000')
        .and.contain('DNS rebinding')
        .and.contain('--public-url');
    });

    it('should take an Origin only where it is the host the request went to', () => {
      expect(allowsOrigin(sut, 'http://localhost:3000', 'localhost:3000')).to.equal(true);
      expect(allowsOrigin(sut, 'http://127.0.0.1:3000', 'localhost:3000')).to.equal(false);
      expect(allowsOrigin(sut, 'http://localhost:3001', 'localhost:3000')).to.equal(false);
    });
  });

  describe('with --public-url and --allowed-hosts', () => {
    const sut = hostPolicyFor(
      { host: '192.168.1.10', publicUrl: ['https://hub.example.com'], allowedHosts: ['hub.lan', 'ops.lan:8080', 'proxy.lan:443'] },
      false,
    );

    it("should accept the public URL's host and port, the listed names, the bind address and loopback names only", () => {
      for (const host of [
        'hub.example.com',
        'hub.example.com:443',
        'HUB.example.com',
        'hub.lan',
        'hub.lan:1234',
        'ops.lan:8080',
        'proxy.lan',
        '192.168.1.10:3000',
        'localhost:3000',
        '127.0.0.1',
      ]) {
        expect(checkHost(sut, host), host).to.deep.equal({ ok: true });
      }
      for (const host of [undefined, 'hub.example.com:3000', 'evil.example', 'ops.lan', 'ops.lan:8081', 'sub.hub.lan', '192.168.1.11:3000']) {
        expect(checkHost(sut, host).ok, String(host)).to.equal(false);
      }
      const verdict = checkHost(sut, 'evil.example');
      expect(verdict.ok === false && verdict.reason)
        .to.contain('hub.example.com, hub.lan, ops.lan:8080')
        .and.contain('--allowed-hosts');
    });

    it('should take an Origin of the list whatever the Host, and a loopback Origin only for the host the request went to', () => {
      expect(allowsOrigin(sut, 'https://hub.example.com', '127.0.0.1:3000'), 'a proxy that rewrites Host').to.equal(true);
      expect(allowsOrigin(sut, 'http://hub.lan:3000', 'hub.lan:3000')).to.equal(true);
      expect(allowsOrigin(sut, 'http://ops.lan:8080', 'hub.lan:3000')).to.equal(true);
      expect(allowsOrigin(sut, 'http://localhost:3000', 'localhost:3000')).to.equal(true);
      for (const origin of [
        'http://hub.example.com',
        'https://hub.example.com:8443',
        'https://evil.example',
        'http://ops.lan:8081',
        'null',
        'file:///x',
        'http://localhost:3000',
      ]) {
        expect(allowsOrigin(sut, origin, 'hub.example.com'), origin).to.equal(false);
      }
    });

    it('should name the public names, leaving out loopback ones, for the access decision', () => {
      expect(publicNames(sut)).to.deep.equal(['hub.example.com', 'hub.lan', 'ops.lan:8080', 'proxy.lan:443', '192.168.1.10']);
      expect(publicNames(hostPolicyFor({ host: '127.0.0.1', allowedHosts: ['localhost:3000'] }, true))).to.deep.equal([]);
    });
  });

  describe('on another bind with no list', () => {
    const sut = hostPolicyFor({ host: '0.0.0.0' }, false);

    it('should accept any Host and compare Origin with it, and say so', () => {
      expect(checkHost(sut, 'evil.example:3000')).to.deep.equal({ ok: true });
      expect(checkHost(sut, undefined)).to.deep.equal({ ok: true });
      expect(allowsOrigin(sut, 'http://hub.lan:3000', 'hub.lan:3000')).to.equal(true);
      expect(allowsOrigin(sut, 'http://evil.example', 'hub.lan:3000')).to.equal(false);
      expect(describeHostPolicy(sut)).to.contain('any host name').and.contain('sign-in');
    });

    it('should not count a wildcard bind address as a name', () => {
      expect(hostPolicyFor({ host: '::', allowedHosts: ['hub.lan'] }, false).names).to.deep.equal([{ hostname: 'hub.lan', port: null }]);
      expect(hostPolicyFor({ host: '0.0.0.0', allowedHosts: ['hub.lan'] }, false).names).to.deep.equal([{ hostname: 'hub.lan', port: null }]);
    });
  });
});
