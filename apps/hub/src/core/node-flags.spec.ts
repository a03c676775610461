import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { HUB_NODE_FLAGS } from './node-flags';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

describe('HUB_NODE_FLAGS', () => {
  it('should be the flags of the npm scripts that run the hub', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const command = `node ${HUB_NODE_FLAGS.join(' ')} apps/hub/dist/main.js`;

    expect(manifest.scripts['start']).to.equal(`tsc -b apps/hub apps/agent && ${command} --single-host`);
    expect(manifest.scripts['hub']).to.equal(`tsc -b apps/hub apps/agent && ${command}`);
  });

  it('should be the flags of the shebang of dist/main.js, so that the hostwatch-hub command runs it alike', () => {
    const firstLine = readFileSync(join(__dirname, '..', 'main.js'), 'utf8').split('\n')[0];
    expect(firstLine).to.equal(`#!/usr/bin/env -S node ${HUB_NODE_FLAGS.join(' ')}`);
  });
});
