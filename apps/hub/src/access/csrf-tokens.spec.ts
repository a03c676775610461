import { expect } from 'chai';
import { CsrfTokens, readCookie } from './csrf-tokens';

describe('CSRF tokens', () => {
  it('should accept the token made for a cookie and session, and nothing else', () => {
    const sut = new CsrfTokens(Buffer.alloc(32, 1));
    const seed = sut.newSeed();
    const token = sut.tokenFor(seed, 'session-a');
    expect(sut.verify(seed, 'session-a', token)).to.equal(true);
    expect(sut.verify(seed, 'session-b', token), 'another session').to.equal(false);
    expect(sut.verify(sut.newSeed(), 'session-a', token), 'another cookie').to.equal(false);
    expect(sut.verify(seed, 'session-a', undefined)).to.equal(false);
    expect(sut.verify(undefined, 'session-a', token)).to.equal(false);
    expect(sut.verify(seed, 'session-a', `${token}x`)).to.equal(false);
  });

  it('should not accept a token minted under another key', () => {
    const seed = new CsrfTokens().newSeed();
    const forged = new CsrfTokens(Buffer.alloc(32, 2)).tokenFor(seed, '');
    expect(new CsrfTokens(Buffer.alloc(32, 1)).verify(seed, '', forged)).to.equal(false);
  });

  it('should read one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; hostwatch.csrf=abc%2D; b=2', 'hostwatch.csrf')).to.equal('abc-');
    expect(readCookie('xhostwatch.csrf=1', 'hostwatch.csrf')).to.equal(undefined);
    expect(readCookie(undefined, 'a')).to.equal(undefined);
    expect(readCookie('a=%E0%A4%A', 'a'), 'bad escapes').to.equal(undefined);
  });
});
