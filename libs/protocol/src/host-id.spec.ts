import { expect } from 'chai';
import { isHostId } from './host-id';
import { LIMITS } from './limits';
import { hostIdSchema } from './primitives.schema';

const CASES = [
  'web-01',
  'a',
  '0',
  'db.example_2',
  'x'.repeat(LIMITS.hostIdLength),
  'x'.repeat(LIMITS.hostIdLength + 1),
  '',
  '-web',
  '.hidden',
  'has space',
  'a/b',
  'ünï',
  'web\n',
  'a\u0000',
];

describe('isHostId', () => {
  for (const text of CASES) {
    it(`should give hostIdSchema's verdict for ${JSON.stringify(text).slice(0, 20)}`, () => {
      expect(isHostId(text)).to.equal(hostIdSchema.safeParse(text).success);
    });
  }
});
