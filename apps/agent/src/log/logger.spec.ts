import { expect } from 'chai';
import { createLineLogger } from './logger';

describe('createLineLogger', () => {
  it('should write one line per entry with the ISO time and the level', () => {
    const lines: string[] = [];
    const sut = createLineLogger({ write: (line) => lines.push(line), now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 6) });
    sut.info('connected');
    sut.warn('slow');
    sut.error('refused');
    expect(lines).to.deep.equal([
      '2025-01-02T03:04:05.006Z INFO connected\n',
      '2025-01-02T03:04:05.006Z WARN slow\n',
      '2025-01-02T03:04:05.006Z ERROR refused\n',
    ]);
  });
});
