import { expect } from 'chai';
import { ackError, ackOk, ackSchema, parseWith } from './index';

describe('ackSchema', () => {
  it('should accept both envelopes the helpers build', () => {
    expect(parseWith(ackSchema, ackOk()).ok).to.equal(true);
    expect(parseWith(ackSchema, ackError('INVALID_MESSAGE', 'seq: too small')).ok).to.equal(true);
  });

  it('should reject an error code outside the closed set', () => {
    const result = parseWith(ackSchema, { ok: false, error: { code: 'TEAPOT', message: 'no' } });
    expect(result.ok === false && result.message).to.match(/^error\.code: /);
  });
});
