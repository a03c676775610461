import { expect } from 'chai';
import { z } from 'zod';
import { LIMITS, checkSnapshot, compileSnapshotFastCheck, snapshotSchema } from './index';
import { validSnapshot } from './testing';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside a JSON value, parents before children. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...children.flatMap((key) => paths((value as Record<string | number, Json>)[key] as Json, [...prefix, key]))];
}

function replaced(root: Json, path: Array<string | number>, replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

// Four UTF-16 code units, two code points: where two ways of counting a length would part.
const EMOJI_PAIR = '\u{1F600}\u{1F600}';

/** What a hostile or broken agent puts in place of a value. */
const REPLACEMENTS: Array<Json | undefined> = [
  undefined,
  null,
  true,
  0,
  -1,
  -0,
  0.5,
  100,
  100.5,
  1e20,
  Number.MAX_SAFE_INTEGER + 2,
  -1e-9,
  JSON.parse('1e999') as number,
  '',
  'x',
  'x'.repeat(LIMITS.shortText),
  'x'.repeat(LIMITS.shortText + 1),
  EMOJI_PAIR.repeat(LIMITS.shortText / 2),
  EMOJI_PAIR.repeat(LIMITS.shortText / 2) + 'x',
  '\uD800'.repeat(LIMITS.shortText + 1),
  'ü-host',
  'web 01',
  [],
  [1],
  {},
  { extra: 1 },
];

describe('the compiled snapshot check', () => {
  const fast = compileSnapshotFastCheck();
  const agree = (input: unknown) => expect(fast(input), JSON.stringify(input)?.slice(0, 300)).to.equal(snapshotSchema.safeParse(input).success);

  it('should accept the valid fixture and its variants with every nullable field null', () => {
    const nulls = validSnapshot();
    nulls.cpu.usagePercent = null;
    nulls.cpu.load = null;
    nulls.diskIo = { readBytesPerSec: null, writeBytesPerSec: null };
    for (const snapshot of [validSnapshot(), nulls]) expect(fast(snapshot)).to.equal(true);
  });

  it('should agree with zod on every value of the fixture replaced by each hostile value, and on an extra key in every object', () => {
    const fixture = validSnapshot() as unknown as Json;
    let cases = 0;
    for (const path of paths(fixture)) {
      for (const replacement of REPLACEMENTS) {
        agree(replaced(fixture, path, replacement));
        cases += 1;
      }
      const target = path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, fixture);
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) agree(replaced(fixture, path, { ...target, unexpected: 1 }));
    }
    expect(cases).to.be.greaterThan(1000);
  });

  it('should count string lengths in code points, as zod does', () => {
    const atLimit = validSnapshot();
    atLimit.network[0].name = EMOJI_PAIR.repeat(LIMITS.shortText / 2);
    const over = validSnapshot();
    over.network[0].name = `${EMOJI_PAIR.repeat(LIMITS.shortText / 2)}x`;
    expect([fast(atLimit), fast(over)]).to.deep.equal([true, false]);
    agree(atLimit);
    agree(over);
  });

  it("should refuse an own '__proto__' key, as zod does", () => {
    const input = JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(validSnapshot()).slice(1)}`) as unknown;
    expect(fast(input)).to.equal(false);
    agree(input);
  });

  it('should refuse to compile a schema it could not check exactly as zod does', () => {
    const inexpressible = [
      z
        .object({ a: z.number() })
        .strict()
        .refine(() => true),
      z.object({ a: z.number() }),
      z.object({ a: z.number().transform((n) => n * 2) }).strict(),
      z.object({ a: z.string().regex(/x/u) }).strict(),
      z.object({ a: z.string().default('x') }).strict(),
      z.object({ a: z.string().email() }).strict(),
    ];
    for (const schema of inexpressible) expect(() => compileSnapshotFastCheck(schema)).to.throw(/cannot be compiled|only strict objects/);
  });
});

describe('checkSnapshot', () => {
  it('should hand back the very object it accepted, since the strict schema transforms nothing', () => {
    const input = validSnapshot();
    const result = checkSnapshot(input);
    expect(result.ok && result.data).to.equal(input);
  });

  it("should name what is wrong with zod's message when it refuses", () => {
    const input = validSnapshot() as unknown as { memory: Record<string, unknown> };
    input.memory.usedPercent = 'high';
    const result = checkSnapshot(input);
    expect(result.ok).to.equal(false);
    expect(result.ok === false && result.message).to.match(/^memory\.usedPercent: /);
  });
});
