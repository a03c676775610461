import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { agentLaunch, shebangNodeFlags } from './agent-launch';

describe('agentLaunch', () => {
  it("should run the agent package's hostwatch-agent bin with the flags of its shebang", () => {
    const launch = agentLaunch();

    expect(launch.entry).to.match(/apps\/agent\/dist\/main\.js$/);
    const shebang = readFileSync(launch.entry, 'utf8').split('\n', 1)[0];
    expect(shebang).to.equal(`#!/usr/bin/env -S node ${launch.nodeFlags.join(' ')}`);
    expect(launch.nodeFlags).to.include('--jitless');
  });

  it('should read the flags after node, and refuse a first line that is no node shebang or holds more than flags', () => {
    expect(shebangNodeFlags('#!/usr/bin/env -S node --jitless --max-old-space-size=64', 'f')).to.deep.equal(['--jitless', '--max-old-space-size=64']);
    expect(shebangNodeFlags('#!/usr/local/bin/node', 'f')).to.deep.equal([]);
    expect(() => shebangNodeFlags("'use strict';", 'main.js')).to.throw(/main\.js does not start with/);
    expect(() => shebangNodeFlags('#!/bin/sh', 'f')).to.throw(/does not start with/);
    expect(() => shebangNodeFlags('#!/usr/bin/env -S node --jitless; rm -rf /', 'f')).to.throw(/only Node\.js flags/);
  });
});
