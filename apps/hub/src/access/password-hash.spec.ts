import { expect } from 'chai';
import { hashPassword, parsePasswordHash, verifyPassword, type ScryptParams } from './password-hash';

// Cheap parameters keep the suite fast; the defaults are checked where the hub stores a real hash.
const FAST: ScryptParams = { N: 1024, r: 8, p: 1, keyLength: 32, saltBytes: 16 };

describe('password hash', () => {
  it('should verify the password it hashed and refuse any other', async () => {
    const sut = await hashPassword('s3cret password', FAST);
    expect(await verifyPassword('s3cret password', sut)).to.equal(true);
    expect(await verifyPassword('s3cret passwore', sut)).to.equal(false);
    expect(await verifyPassword('', sut)).to.equal(false);
  });

  it('should salt every hash, and name its parameters in it', async () => {
    const first = await hashPassword('same', FAST);
    const second = await hashPassword('same', FAST);
    expect(first).to.not.equal(second);
    expect(first).to.match(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });

  it('should read a password typed in another Unicode normal form as the same', async () => {
    const sut = await hashPassword('caf\u00e9', FAST);
    expect(await verifyPassword('cafe\u0301', sut)).to.equal(true);
  });

  it('should refuse a hash it did not write or whose costs are out of bounds, without running scrypt on it', async () => {
    const good = await hashPassword('x', FAST);
    const [, , r, p, salt, key] = good.split('$');
    for (const bad of [
      '',
      'plain',
      `bcrypt$1024$${r}$${p}$${salt}$${key}`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`,
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`,
      `scrypt$1024$99$${p}$${salt}$${key}`,
      `scrypt$1024$${r}$${p}$$${key}`,
    ]) {
      expect(parsePasswordHash(bad), bad).to.equal(null);
      expect(await verifyPassword('x', bad), bad).to.equal(false);
    }
  });
});
