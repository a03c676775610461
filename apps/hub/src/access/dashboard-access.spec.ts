import { expect } from 'chai';
import { dashboardAccessFor, isLoopbackAddress, needsSignIn } from './dashboard-access';

describe('dashboard access', () => {
  it('should count only loopback addresses and localhost as loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(host), host).to.equal(true);
    }
    for (const host of ['0.0.0.0', '::', '[::]', '192.168.1.10', '10.0.0.1', 'fe80::1', 'hub.example', '128.0.0.1', '::ffff:10.0.0.1']) {
      expect(isLoopbackAddress(host), host).to.equal(false);
    }
  });

  it('should leave a loopback hub open, even with the public dashboard set', () => {
    const sut = dashboardAccessFor({ host: '127.0.0.1', publicDashboard: true });
    expect(sut.kind).to.equal('open');
    expect(needsSignIn(sut, 'DELETE')).to.equal(false);
    expect(sut.reason).to.contain('loopback');
  });

  it('should need sign-in for everything on any other address', () => {
    const sut = dashboardAccessFor({ host: '0.0.0.0' });
    expect(sut.kind).to.equal('login');
    expect(needsSignIn(sut, 'GET')).to.equal(true);
    expect(sut.reason).to.contain('0.0.0.0');
  });

  it('should treat a loopback hub served under a public name, through a proxy, like one bound elsewhere', () => {
    const sut = dashboardAccessFor({ host: '127.0.0.1', publicUrl: ['https://hub.example.com'] });
    expect(sut.kind).to.equal('login');
    expect(sut.reason).to.contain('served as hub.example.com');
    expect(dashboardAccessFor({ host: '127.0.0.1', allowedHosts: ['hub.lan'], publicDashboard: true }).kind).to.equal('public-read');
    expect(dashboardAccessFor({ host: '127.0.0.1', allowedHosts: ['localhost:3000', '127.0.0.2'] }).kind, 'loopback names only').to.equal('open');
  });

  it('should need sign-in only for changes on a public dashboard', () => {
    const sut = dashboardAccessFor({ host: '192.168.1.10', publicDashboard: true });
    expect(sut.kind).to.equal('public-read');
    expect(needsSignIn(sut, 'GET')).to.equal(false);
    expect(needsSignIn(sut, 'HEAD')).to.equal(false);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(needsSignIn(sut, method), method).to.equal(true);
  });
});
