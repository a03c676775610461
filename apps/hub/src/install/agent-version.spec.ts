import { expect } from 'chai';
import { compareAgentVersion as sut } from './agent-version';

describe('compareAgentVersion', () => {
  it('should compare x.y.z by number, not as text', () => {
    expect(sut('0.1.0', '0.2.0')).to.equal('older');
    expect(sut('0.9.0', '0.10.0')).to.equal('older');
    expect(sut('1.0.0', '0.10.0')).to.equal('newer');
    expect(sut('0.2.0', '0.2.0')).to.equal('current');
    expect(sut('v0.2.1', '0.2.0')).to.equal('newer');
  });

  it('should count a pre-release as older than its release', () => {
    expect(sut('0.2.0-rc.1', '0.2.0')).to.equal('older');
    expect(sut('0.2.0', '0.2.0-rc.1')).to.equal('newer');
    expect(sut('0.2.0+build.5', '0.2.0')).to.equal('current');
  });

  it('should never call an unknown or odd version older', () => {
    for (const reported of [null, undefined, '', 'dev', '1.2', '1.2.3.4', '<b>1.0.0</b>']) {
      expect(sut(reported, '9.9.9'), String(reported)).to.equal('unknown');
    }
    expect(sut('0.1.0', null)).to.equal('unknown');
  });
});
