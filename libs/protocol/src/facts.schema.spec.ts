import { expect } from 'chai';
import { hostFactsSchema, parseWith } from './index';
import { validFacts } from './testing';

describe('hostFactsSchema', () => {
  it('should accept the valid fixture', () => {
    expect(parseWith(hostFactsSchema, validFacts()).ok).to.equal(true);
  });

  it('should reject an empty host name', () => {
    const result = parseWith(hostFactsSchema, validFacts({ hostname: '' }));
    expect(result.ok === false && result.message).to.match(/^hostname: /);
  });

  it('should reject an extra key inside os', () => {
    const facts = validFacts();
    const result = parseWith(hostFactsSchema, { ...facts, os: { ...facts.os, shell: 'rm -rf /' } });
    expect(result.ok === false && result.message).to.match(/^os: .*shell/);
  });
});
