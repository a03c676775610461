import { expect } from 'chai';
import { parseHubConfig, type HubConfig } from './hub-config';

function ok(argv: string[], env: NodeJS.ProcessEnv = {}): HubConfig {
  const result = parseHubConfig(argv, env, '/srv');
  if (result.kind !== 'ok') throw new Error(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
}

describe('hub config: dashboard access', () => {
  it('should keep the dashboard behind sign-in unless --public-dashboard or its variable says otherwise', () => {
    expect(ok([]).publicDashboard).to.equal(false);
    expect(ok(['--public-dashboard']).publicDashboard).to.equal(true);
    expect(ok([], { HOSTWATCH_PUBLIC_DASHBOARD: 'true' }).publicDashboard).to.equal(true);
    expect(ok([], { HOSTWATCH_PUBLIC_DASHBOARD: '0' }).publicDashboard).to.equal(false);
  });

  it('should name the variable of a bad public-dashboard value', () => {
    const sut = parseHubConfig([], { HOSTWATCH_PUBLIC_DASHBOARD: 'yes please' }, '/srv');
    expect(sut.kind).to.equal('error');
    expect(sut.kind === 'error' && sut.message).to.contain('HOSTWATCH_PUBLIC_DASHBOARD');
  });

  it('should read the admin password from the environment only, never from a flag', () => {
    expect(ok([], { HOSTWATCH_ADMIN_PASSWORD: 'long enough secret' }).adminPassword).to.equal('long enough secret');
    expect(ok([]).adminPassword).to.equal(null);
    const flag = parseHubConfig(['--admin-password', 'long enough secret'], {}, '/srv');
    expect(flag.kind).to.equal('error');
  });

  it('should refuse a short admin password without echoing it', () => {
    const sut = parseHubConfig([], { HOSTWATCH_ADMIN_PASSWORD: 'abc123' }, '/srv');
    expect(sut.kind).to.equal('error');
    const message = sut.kind === 'error' ? sut.message : '';
    expect(message).to.contain('HOSTWATCH_ADMIN_PASSWORD').and.contain('8 to 1024').and.not.contain('abc123');
  });

  it('should document both settings in --help', () => {
    const sut = parseHubConfig(['--help'], {}, '/srv');
    const text = sut.kind === 'help' ? sut.text : '';
    expect(text).to.contain('--public-dashboard').and.contain('HOSTWATCH_PUBLIC_DASHBOARD').and.contain('HOSTWATCH_ADMIN_PASSWORD');
    expect(text).to.not.contain('--admin-password');
  });
});
