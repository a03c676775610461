import { Logger } from '@nestjs/common';
import { validAuth } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { CapturingLogger } from '../testing/capturing-logger';
import { AgentAuthService } from './agent-auth.service';
import type { AgentTokenService } from './agent-token.service';

describe('AgentAuthService', () => {
  const token = 'correct-horse-battery-staple';
  let logs: CapturingLogger;
  let sut: AgentAuthService;

  beforeEach(() => {
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
    const tokens: Pick<AgentTokenService, 'getToken'> = { getToken: () => token };
    sut = new AgentAuthService(tokens as AgentTokenService);
  });

  it('should accept a valid handshake and say which host and interval it speaks for', () => {
    const result = sut.verifyHandshake(validAuth(token, { hostId: 'db-01', intervalMs: 2000 }), '10.0.0.7');

    expect(result).to.deep.equal({ ok: true, agent: { hostId: 'db-01', intervalMs: 2000 } });
    expect(logs.messages('warn')).to.deep.equal([]);
  });

  it('should refuse a wrong token with UNAUTHORIZED and log the remote address', () => {
    const result = sut.verifyHandshake(validAuth('wrong'), '10.0.0.7');

    expect(result).to.include({ ok: false, code: 'UNAUTHORIZED' });
    expect(logs.messages('warn').join('\n')).to.contain('10.0.0.7').and.contain('UNAUTHORIZED');
  });

  it('should refuse a token that only shares a prefix with the right one', () => {
    const result = sut.verifyHandshake(validAuth(`${token}x`), '10.0.0.7');

    expect(result).to.include({ ok: false, code: 'UNAUTHORIZED' });
  });

  it('should refuse missing auth with INVALID_HANDSHAKE', () => {
    const result = sut.verifyHandshake({}, '10.0.0.7');

    expect(result).to.include({ ok: false, code: 'INVALID_HANDSHAKE' });
    expect(result.ok === false && result.message).to.contain('token');
  });

  it('should refuse a malformed field with INVALID_HANDSHAKE naming its path', () => {
    const result = sut.verifyHandshake(validAuth(token, { intervalMs: -5 }), '10.0.0.7');

    expect(result).to.include({ ok: false, code: 'INVALID_HANDSHAKE' });
    expect(result.ok === false && result.message).to.contain('intervalMs');
  });

  it('should refuse an unsupported protocol version with UNSUPPORTED_PROTOCOL', () => {
    const result = sut.verifyHandshake(validAuth(token, { protocolVersion: 99 }), '10.0.0.7');

    expect(result).to.include({ ok: false, code: 'UNSUPPORTED_PROTOCOL' });
    expect(result.ok === false && result.message).to.contain('99');
  });
});
