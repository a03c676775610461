import { expect } from 'chai';
import { presentAgentVersion as sut } from './agent-version.presenter';
import { NOT_AVAILABLE } from './units.format';

describe('presentAgentVersion', () => {
  it('should mark an agent older than the release, on the list and on its page', () => {
    expect(sut('0.1.0', '0.2.0')).to.deep.equal({
      mark: 'agent 0.1.0, older than 0.2.0',
      older: true,
      detail: '0.1.0 (older than 0.2.0, which this hub hands out)',
    });
  });

  it('should mark nothing for a current or newer agent', () => {
    expect(sut('0.2.0', '0.2.0')).to.deep.equal({ mark: '', older: false, detail: '0.2.0' });
    expect(sut('0.3.0', '0.2.0')).to.deep.equal({ mark: '', older: false, detail: '0.3.0' });
  });

  it('should show a missing or odd version as unknown, not as older', () => {
    expect(sut(null, '0.2.0')).to.deep.equal({ mark: 'agent version unknown', older: false, detail: 'unknown' });
    expect(sut('dev', '0.2.0')).to.include({ mark: 'agent version unknown', older: false });
  });

  it('should compare nothing where the hub has no release', () => {
    expect(sut('0.1.0', null)).to.deep.equal({ mark: '', older: false, detail: '0.1.0' });
    expect(sut(null, null)).to.deep.equal({ mark: '', older: false, detail: NOT_AVAILABLE });
  });
});
