import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { validAuth } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { AGENT_REGISTRY_FILE, AgentRegistryRepository, type HostBinding } from './agent-registry.repository';
import { CapturingLogger } from '../testing/capturing-logger';
import { FakeClock } from '../testing/fake-clock';
import { AgentAuthService, REGISTRY_RECHECK_MS } from './agent-auth.service';
import type { AgentTokenService } from './agent-token.service';
import { HostBindingService } from './host-binding.service';
import { IssuedTokenService, hashSecret } from './issued-token.service';

/** The real registry, counting how often a binding is read. */
class CountingRegistry extends AgentRegistryRepository {
  bindingReads = 0;

  override findBinding(hostId: string): HostBinding | null {
    this.bindingReads += 1;
    return super.findBinding(hostId);
  }
}

describe('AgentAuthService', () => {
  const token = 'correct-horse-battery-staple';
  const keyA = 'key-of-agent-a-0123456789abcdef';
  const keyB = 'key-of-agent-b-0123456789abcdef';
  let logs: CapturingLogger;
  let dir: string;
  let registry: CountingRegistry;
  let issued: IssuedTokenService;
  let sut: AgentAuthService;
  let clock: FakeClock;

  beforeEach(async () => {
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
    dir = await fs.mkdtemp(path.join(tmpdir(), 'hostwatch-auth-'));
    registry = new CountingRegistry(path.join(dir, AGENT_REGISTRY_FILE));
    clock = new FakeClock();
    issued = new IssuedTokenService(registry, clock);
    const tokens: Pick<AgentTokenService, 'getToken'> = { getToken: () => token };
    sut = new AgentAuthService(tokens as AgentTokenService, issued, new HostBindingService(registry, clock, { maxHosts: 3 }), registry, clock);
  });

  afterEach(async () => {
    registry.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('should accept a valid handshake and say which host and interval it speaks for', () => {
    const result = sut.verifyHandshake(validAuth(token, { hostId: 'db-01', intervalMs: 2000 }), '10.0.0.7');

    expect(result).to.deep.equal({ ok: true, agent: { hostId: 'db-01', intervalMs: 2000 }, admission: { tokenId: null, keyHash: null } });
    expect(logs.messages('warn')).to.deep.equal([]);
  });

  it('should refuse a handshake that brings no token with UNAUTHORIZED, whatever else it lacks', () => {
    const { token: _token, ...withoutToken } = validAuth(token);

    for (const auth of [withoutToken, { ...withoutToken, token: '' }, { ...withoutToken, token: null }, {}, undefined, null]) {
      const result = sut.verifyHandshake(auth, '10.0.0.7');
      expect(result, JSON.stringify(auth)).to.deep.include({ ok: false, code: 'UNAUTHORIZED' });
      expect(result.ok === false && result.message).to.contain('token');
    }
    expect(sut.verifyHandshake({ ...withoutToken, token: 42 }, '10.0.0.7')).to.include({ ok: false, code: 'INVALID_HANDSHAKE' });
    expect(sut.verifyHandshake(validAuth('wrong-token', { intervalMs: 5 }), '10.0.0.7')).to.include({ ok: false, code: 'INVALID_HANDSHAKE' });
  });

  it('should bind a host id to the first key and refuse another key with HOST_CLAIMED, logging the address', () => {
    expect(sut.verifyHandshake(validAuth(token, { hostKey: keyA }), '10.0.0.7')).to.include({ ok: true });

    const result = sut.verifyHandshake(validAuth(token, { hostKey: keyB }), '10.0.0.8');

    expect(result).to.include({ ok: false, code: 'HOST_CLAIMED' });
    expect(logs.messages('warn').join('\n')).to.contain('10.0.0.8').and.contain('HOST_CLAIMED');
    expect(sut.verifyHandshake(validAuth(token, { hostKey: keyA }), '10.0.0.7')).to.include({ ok: true });
  });

  it('should refuse a handshake without a key for a host bound to one', () => {
    sut.verifyHandshake(validAuth(token, { hostKey: keyA }), '10.0.0.7');

    expect(sut.verifyHandshake(validAuth(token), '10.0.0.8')).to.include({ ok: false, code: 'HOST_CLAIMED' });
  });

  it('should let the first key claim a host that connected without one, and then hold it', () => {
    sut.verifyHandshake(validAuth(token), '10.0.0.7');

    expect(sut.verifyHandshake(validAuth(token, { hostKey: keyA }), '10.0.0.7')).to.include({ ok: true });
    expect(sut.verifyHandshake(validAuth(token), '10.0.0.7')).to.include({ ok: false, code: 'HOST_CLAIMED' });
  });

  it('should store only a hash of the host key', () => {
    sut.verifyHandshake(validAuth(token, { hostKey: keyA }), '10.0.0.7');

    expect(registry.findBinding('web-01')?.keyHash).to.equal(hashSecret(keyA)).and.not.contain(keyA);
  });

  it('should refuse a new host over the cap with HOST_LIMIT and still admit a known one', () => {
    for (const hostId of ['a', 'b', 'c']) expect(sut.verifyHandshake(validAuth(token, { hostId }), '10.0.0.7')).to.include({ ok: true });

    expect(sut.verifyHandshake(validAuth(token, { hostId: 'd' }), '10.0.0.7')).to.include({ ok: false, code: 'HOST_LIMIT' });
    expect(sut.verifyHandshake(validAuth(token, { hostId: 'b' }), '10.0.0.7')).to.include({ ok: true });
  });

  it('should admit a host-bound issued token for its host only', () => {
    const { token: own } = issued.issue({ hostId: 'db-01', note: null });

    expect(sut.verifyHandshake(validAuth(own, { hostId: 'db-01' }), '10.0.0.7')).to.include({ ok: true });
    expect(sut.verifyHandshake(validAuth(own, { hostId: 'db-02' }), '10.0.0.7')).to.include({ ok: false, code: 'UNAUTHORIZED' });
  });

  it('should record when an issued token was last used', () => {
    const { token: own, issued: entry } = issued.issue({ hostId: null, note: 'rack 4' });

    sut.verifyHandshake(validAuth(own), '10.0.0.7');

    expect(issued.list().find((t) => t.id === entry.id)?.lastUsedAt).to.be.a('number');
  });

  it('should refuse a revoked token at the handshake and on recheck', () => {
    const { token: own, issued: entry } = issued.issue({ hostId: null, note: null });
    const admitted = sut.verifyHandshake(validAuth(own), '10.0.0.7');
    if (!admitted.ok) throw new Error(admitted.message);

    issued.revoke(entry.id);

    expect(sut.recheck(admitted.agent, admitted.admission)).to.include({ ok: false, code: 'UNAUTHORIZED' });
    expect(sut.verifyHandshake(validAuth(own), '10.0.0.7')).to.include({ ok: false, code: 'UNAUTHORIZED' });
  });

  it('should not read the registry again on recheck while nothing in it changed', () => {
    const admitted = sut.verifyHandshake(validAuth(token, { hostKey: keyA }), '10.0.0.7');
    if (!admitted.ok) throw new Error(admitted.message);
    expect(sut.recheck(admitted.agent, admitted.admission)).to.deep.equal({ ok: true });
    const reads = registry.bindingReads;

    for (let i = 0; i < 5; i++) expect(sut.recheck(admitted.agent, admitted.admission)).to.deep.equal({ ok: true });

    expect(registry.bindingReads).to.equal(reads);
  });

  it('should notice a token revoked by another process within REGISTRY_RECHECK_MS, after rechecks that passed', () => {
    const { token: own, issued: entry } = issued.issue({ hostId: null, note: null });
    const admitted = sut.verifyHandshake(validAuth(own), '10.0.0.7');
    if (!admitted.ok) throw new Error(admitted.message);
    expect(sut.recheck(admitted.agent, admitted.admission)).to.deep.equal({ ok: true });
    expect(sut.recheck(admitted.agent, admitted.admission)).to.deep.equal({ ok: true });

    // What `npm run hub -- token revoke` does: its own connection to the same file.
    const commandLine = new AgentRegistryRepository(registry.file);
    try {
      expect(commandLine.removeToken(entry.id)).to.equal(true);
    } finally {
      commandLine.close();
    }

    clock.advance(REGISTRY_RECHECK_MS);
    expect(sut.recheck(admitted.agent, admitted.admission)).to.include({ ok: false, code: 'UNAUTHORIZED' });
  });

  it('should bind a released host again to the key of the agent still connected for it', () => {
    const admitted = sut.verifyHandshake(validAuth(token, { hostKey: keyA }), '10.0.0.7');
    if (!admitted.ok) throw new Error(admitted.message);
    registry.removeBinding('web-01');

    expect(sut.recheck(admitted.agent, admitted.admission)).to.deep.equal({ ok: true });
    expect(sut.verifyHandshake(validAuth(token, { hostKey: keyB }), '10.0.0.8')).to.include({ ok: false, code: 'HOST_CLAIMED' });
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
