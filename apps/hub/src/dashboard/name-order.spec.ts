import { expect } from 'chai';
import { NameOrder } from './name-order';

describe('NameOrder', () => {
  it('should rank names naturally and case-insensitively, names the collator calls equal sharing a rank', () => {
    const sut = new NameOrder();

    const ranks = sut.rank(['web-10', 'Web-2', 'db', 'web-2', 'Alpha']);

    expect([...ranks].sort((a, b) => a[1] - b[1])).to.deep.equal([
      ['Alpha', 0],
      ['db', 1],
      ['Web-2', 2],
      ['web-2', 2],
      ['web-10', 3],
    ]);
  });

  it('should keep its ranks while only known names are listed, and rank anew, dropping the gone, when a new one turns up', () => {
    const sut = new NameOrder();
    const first = sut.rank(['b', 'c', 'gone']);

    expect(sut.rank(['c', 'b']), 'the same ranks again').to.equal(first);
    const next = sut.rank(['c', 'a', 'b']);

    expect([...next]).to.have.deep.members([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });
});
