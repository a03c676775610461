import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { AGENT_NODE_FLAGS } from './index';
import { AGENT_MAIN } from './testing/agent-process';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const command = `node ${AGENT_NODE_FLAGS.join(' ')} apps/agent/dist/main.js`;

describe('AGENT_NODE_FLAGS', () => {
  it('should be the flags of the npm script that runs the agent', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['agent']).to.equal(`tsc -b apps/agent && ${command}`);
  });

  it('should be the flags of the shebang of dist/main.js, so that running the file itself runs it alike', () => {
    const firstLine = readFileSync(AGENT_MAIN, 'utf8').split('\n')[0];
    expect(firstLine).to.equal(`#!/usr/bin/env -S node ${AGENT_NODE_FLAGS.join(' ')}`);
  });

  it('should be the flags the README tells users to run the agent with', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).to.contain(`${command} --hub`);
    const others = readme.match(/node (?:--[\w-]+(?:=\S+)? )*apps\/agent\/dist\/main\.js/g) ?? [];
    expect(
      others.filter((line) => line !== command),
      'every other way the README starts it',
    ).to.deep.equal([]);
  });
});
