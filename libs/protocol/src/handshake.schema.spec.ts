import { expect } from 'chai';
import { agentAuthSchema, parseWith, PROTOCOL_VERSION } from './index';

describe('agentAuthSchema', () => {
  const valid = { token: 'secret', hostId: 'web-01', protocolVersion: PROTOCOL_VERSION, intervalMs: 5000 };

  it('should accept a token, host id and version', () => {
    expect(parseWith(agentAuthSchema, valid).ok).to.equal(true);
  });

  it('should reject a missing token and name it', () => {
    const result = parseWith(agentAuthSchema, { ...valid, token: undefined });
    expect(result.ok === false && result.message).to.match(/^token: /);
  });

  it('should reject an interval below 100 ms', () => {
    const result = parseWith(agentAuthSchema, { ...valid, intervalMs: 10 });
    expect(result.ok === false && result.message).to.match(/^intervalMs: /);
  });

  it('should reject a host id with spaces', () => {
    const result = parseWith(agentAuthSchema, { ...valid, hostId: 'web 01' });
    expect(result.ok === false && result.message).to.match(/^hostId: /);
  });

  it('should accept a host key of 43 base64url characters', () => {
    expect(parseWith(agentAuthSchema, { ...valid, hostKey: 'q'.repeat(21) + '-_' + 'Z9'.repeat(10) }).ok).to.equal(true);
  });

  it('should reject a host key shorter than 16 characters and name it', () => {
    const result = parseWith(agentAuthSchema, { ...valid, hostKey: 'short' });
    expect(result.ok === false && result.message).to.match(/^hostKey: /);
  });

  it('should reject a host key with spaces', () => {
    const result = parseWith(agentAuthSchema, { ...valid, hostKey: 'a key with spaces in it' });
    expect(result.ok === false && result.message).to.match(/^hostKey: /);
  });
});
