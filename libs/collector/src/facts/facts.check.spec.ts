import { hostFactsSchema, LIMITS, type HostFacts } from '@hostwatch/protocol';
import { validFacts } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { checkFactsReply, checkHostFacts, MAX_MACHINE_ID_LENGTH } from './facts.check';

const facts = validFacts();
const withOs = (os: Record<string, unknown>): unknown => ({ ...facts, os: { ...facts.os, ...os } });
const withCpu = (cpu: Record<string, unknown>): unknown => ({ ...facts, cpu: { ...facts.cpu, ...cpu } });
const without = (key: keyof HostFacts): unknown => Object.fromEntries(Object.entries(facts).filter(([name]) => name !== key));

/** Facts a collector could send, and every way one can be wrong. */
const CASES: ReadonlyArray<[string, unknown]> = [
  ['valid facts', facts],
  ['no CPU speed', withCpu({ speedGHz: null })],
  [
    'every text at its limit',
    {
      ...facts,
      hostname: 'h'.repeat(LIMITS.text),
      agentVersion: 'v'.repeat(LIMITS.shortText),
      os: {
        platform: 'p'.repeat(LIMITS.shortText),
        distro: 'd'.repeat(LIMITS.text),
        release: 'r'.repeat(LIMITS.shortText),
        codename: 'c'.repeat(LIMITS.shortText),
        kernel: 'k'.repeat(LIMITS.text),
        arch: 'a'.repeat(LIMITS.shortText),
      },
      cpu: { ...facts.cpu, manufacturer: 'm'.repeat(LIMITS.shortText), brand: 'b'.repeat(LIMITS.text) },
    },
  ],
  [
    'empty texts but the host name',
    {
      ...facts,
      agentVersion: '',
      os: { platform: '', distro: '', release: '', codename: '', kernel: '', arch: '' },
      cpu: { ...facts.cpu, manufacturer: '', brand: '' },
    },
  ],
  ['an empty host name', { ...facts, hostname: '' }],
  ['a host name one too long', { ...facts, hostname: 'h'.repeat(LIMITS.text + 1) }],
  ['a numeric host name', { ...facts, hostname: 1 }],
  ['an agent version one too long', { ...facts, agentVersion: 'v'.repeat(LIMITS.shortText + 1) }],
  ['a platform one too long', withOs({ platform: 'p'.repeat(LIMITS.shortText + 1) })],
  ['a distro one too long', withOs({ distro: 'd'.repeat(LIMITS.text + 1) })],
  ['a release one too long', withOs({ release: 'r'.repeat(LIMITS.shortText + 1) })],
  ['a codename one too long', withOs({ codename: 'c'.repeat(LIMITS.shortText + 1) })],
  ['a kernel one too long', withOs({ kernel: 'k'.repeat(LIMITS.text + 1) })],
  ['an arch one too long', withOs({ arch: 'a'.repeat(LIMITS.shortText + 1) })],
  ['a null distro', withOs({ distro: null })],
  ['an extra key in os', withOs({ shell: 'rm -rf /' })],
  ['os missing', without('os')],
  ['os null', { ...facts, os: null }],
  ['os an array', { ...facts, os: [] }],
  ['a manufacturer one too long', withCpu({ manufacturer: 'm'.repeat(LIMITS.shortText + 1) })],
  ['a brand one too long', withCpu({ brand: 'b'.repeat(LIMITS.text + 1) })],
  ['an extra key in cpu', withCpu({ flags: 'sse' })],
  ['no logical cores', withCpu({ logicalCores: 0 })],
  ['one logical core', withCpu({ logicalCores: 1 })],
  ['the most logical cores', withCpu({ logicalCores: LIMITS.cpuCores })],
  ['one logical core too many', withCpu({ logicalCores: LIMITS.cpuCores + 1 })],
  ['half a logical core', withCpu({ logicalCores: 1.5 })],
  ['logical cores as a string', withCpu({ logicalCores: '2' })],
  ['NaN logical cores', withCpu({ logicalCores: Number.NaN })],
  ['no physical cores', withCpu({ physicalCores: 0 })],
  ['negative physical cores', withCpu({ physicalCores: -1 })],
  ['one physical core too many', withCpu({ physicalCores: LIMITS.cpuCores + 1 })],
  ['a zero speed', withCpu({ speedGHz: 0 })],
  ['a negative speed', withCpu({ speedGHz: -3 })],
  ['the highest speed', withCpu({ speedGHz: 100 })],
  ['a speed too high', withCpu({ speedGHz: 100.01 })],
  ['an infinite speed', withCpu({ speedGHz: Infinity })],
  ['a speed as a string', withCpu({ speedGHz: '3.4' })],
  ['speed missing', withCpu({ speedGHz: undefined })],
  ['cpu missing', without('cpu')],
  ['no memory', { ...facts, memoryTotalBytes: 0 }],
  ['negative memory', { ...facts, memoryTotalBytes: -1 }],
  ['fractional memory', { ...facts, memoryTotalBytes: 1.5 }],
  ['memory past the safe integers', { ...facts, memoryTotalBytes: 2 ** 53 }],
  ['the largest safe memory', { ...facts, memoryTotalBytes: Number.MAX_SAFE_INTEGER }],
  ['memory missing', without('memoryTotalBytes')],
  ['a boot time at the epoch', { ...facts, bootTime: 0 }],
  ['a boot time at the end of time', { ...facts, bootTime: 8.64e15 }],
  ['a boot time past the end of time', { ...facts, bootTime: 8.64e15 + 1 }],
  ['a negative boot time', { ...facts, bootTime: -1 }],
  ['a fractional boot time', { ...facts, bootTime: 1.5 }],
  ['boot time missing', without('bootTime')],
  ['agent version missing', without('agentVersion')],
  ['host name missing', without('hostname')],
  ['an extra key', { ...facts, hostId: 'x' }],
  ['a __proto__ key', JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(facts).slice(1)}`)],
  ['a __proto__ key in os', JSON.parse(JSON.stringify(facts).replace('"os":{', '"os":{"__proto__":{"x":1},'))],
  ['null', null],
  ['undefined', undefined],
  ['a string', 'facts'],
  ['an array', [facts]],
];

describe(checkHostFacts.name, () => {
  for (const [name, input] of CASES) {
    it(`should give hostFactsSchema's verdict and data for ${name}`, () => {
      const expected = hostFactsSchema.safeParse(input);
      const sut = checkHostFacts(input);
      expect(sut.ok, JSON.stringify(sut)).to.equal(expected.success);
      if (sut.ok && expected.success) expect(sut.data).to.deep.equal(expected.data);
    });
  }

  it('should name the path of the problem', () => {
    const sut = checkHostFacts(withCpu({ logicalCores: 0 }));
    expect(sut.ok === false && sut.message).to.match(/^cpu\.logicalCores: /);
  });
});

describe(checkFactsReply.name, () => {
  it('should accept the facts with a machine id or with null', () => {
    expect(checkFactsReply({ facts, machineId: 'abc' })).to.deep.equal({ ok: true, data: { facts, machineId: 'abc' } });
    expect(checkFactsReply({ facts, machineId: null })).to.deep.equal({ ok: true, data: { facts, machineId: null } });
  });

  it('should refuse invalid facts, naming their path', () => {
    const sut = checkFactsReply({ facts: { ...facts, hostname: '' }, machineId: null });
    expect(sut.ok === false && sut.message).to.match(/^facts\.hostname: /);
  });

  it('should refuse a machine id that is not a string, is too long, or is missing, and an extra key', () => {
    for (const reply of [
      { facts, machineId: 1 },
      { facts, machineId: 'm'.repeat(MAX_MACHINE_ID_LENGTH + 1) },
      { facts },
      { facts, machineId: null, more: true },
      null,
    ]) {
      expect(checkFactsReply(reply).ok, JSON.stringify(reply)).to.equal(false);
    }
  });
});
