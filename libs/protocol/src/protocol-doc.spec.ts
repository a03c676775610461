import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { ERROR_CODES } from './error-codes';
import { ackSchema } from './ack.schema';
import { hostFactsSchema } from './facts.schema';
import { agentAuthSchema } from './handshake.schema';
import { snapshotSchema } from './snapshot.schema';

const DOC = path.join(__dirname, '..', '..', '..', 'docs', 'PROTOCOL.md');

/** docs/PROTOCOL.md is what authors of other agents work from: its examples and its codes must be the schemas'. */
describe('docs/PROTOCOL.md', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  const examples = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((match) => JSON.parse(match[1] ?? '') as Record<string, unknown>);

  function exampleWith(key: string): Record<string, unknown> {
    const found = examples.find((example) => key in example);
    if (!found) throw new Error(`no example with "${key}"`);
    return found;
  }

  it('should give examples of the handshake, facts and snapshot that their schemas accept', () => {
    expect(agentAuthSchema.safeParse(exampleWith('protocolVersion')).success).to.equal(true);
    expect(hostFactsSchema.safeParse(exampleWith('hostname')).success).to.equal(true);
    expect(snapshotSchema.safeParse(exampleWith('seq')).success).to.equal(true);
  });

  it('should give ack examples that the ack schema accepts', () => {
    const acks = examples.filter((example) => 'ok' in example);

    expect(acks).to.have.length.above(1);
    for (const ack of acks) expect(ackSchema.safeParse(ack).success, JSON.stringify(ack)).to.equal(true);
  });

  it('should name every error code of the closed set, and no other', () => {
    const named = new Set([...text.matchAll(/\| `([A-Z_]+)` \|/g)].map((match) => match[1]));

    expect([...named].sort()).to.deep.equal([...ERROR_CODES].filter((code) => code !== 'REPLACED').sort());
    expect(text).to.contain('`REPLACED`');
  });
});
