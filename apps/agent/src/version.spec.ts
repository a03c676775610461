import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_VERSION } from './version';

describe('AGENT_VERSION', () => {
  it('should equal the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(AGENT_VERSION).to.equal(pkg.version);
  });
});
