import Ajv from 'ajv';
import { z } from 'zod';
import { parseWith, type ParseResult } from './parse';
import { snapshotSchema, type Snapshot } from './snapshot.schema';

/**
 * The snapshot schema compiled to a plain validator (Ajv, from the schema's
 * own JSON Schema). A hub checks every snapshot: zod took several times as
 * long and allocated many short-lived objects per snapshot; this allocates
 * next to nothing. It only answers yes or no; zod still names what is wrong
 * with a snapshot this refuses (see `checkSnapshot`).
 *
 * JSON Schema says exactly what the schema says only for plain types, bounds,
 * lengths and flagless patterns; zod's JSON Schema output silently drops
 * refinements and transforms. So compiling refuses a schema with anything
 * else (`assertExpressible`); the spec holds the two to the same verdicts.
 */
export type SnapshotFastCheck = (value: unknown) => value is Snapshot;

/** What the compiled check says exactly as zod does; anything else must fail the compile, not the check. */
const EXPRESSIBLE_TYPES: ReadonlySet<string> = new Set(['object', 'string', 'number', 'boolean', 'nullable', 'array']);
const EXPRESSIBLE_CHECKS: ReadonlySet<string> = new Set(['min_length', 'max_length', 'greater_than', 'less_than', 'number_format', 'string_format']);

/** The parts of a zod schema's definition that say what it checks. */
interface SchemaNode {
  _zod: {
    def: {
      type: string;
      checks?: Array<{ _zod: { def: { check: string; format?: string; pattern?: RegExp } } }>;
      shape?: Record<string, SchemaNode>;
      catchall?: SchemaNode;
      element?: SchemaNode;
      innerType?: SchemaNode;
    };
  };
}

function assertExpressible(schema: SchemaNode, path: string): void {
  const def = schema._zod.def;
  const where = path || '(root)';
  if (!EXPRESSIBLE_TYPES.has(def.type)) throw new Error(`${where}: a zod '${def.type}' cannot be compiled to a check that agrees with zod`);
  for (const check of def.checks ?? []) {
    const { check: kind, format, pattern } = check._zod.def;
    const agrees =
      EXPRESSIBLE_CHECKS.has(kind) &&
      (kind !== 'number_format' || format === 'safeint') &&
      (kind !== 'string_format' || (format === 'regex' && pattern?.flags === ''));
    if (!agrees) throw new Error(`${where}: the check '${kind}${format ? `:${format}` : ''}' cannot be compiled to a check that agrees with zod`);
  }
  if (def.type === 'object') {
    // Only strict objects: a stripping object would hand on keys zod drops.
    if (def.catchall?._zod.def.type !== 'never') throw new Error(`${where}: only strict objects can be compiled`);
    for (const [key, value] of Object.entries(def.shape ?? {})) assertExpressible(value, path ? `${path}.${key}` : key);
  }
  if (def.element) assertExpressible(def.element, `${where}[]`);
  if (def.innerType) assertExpressible(def.innerType, path);
}

export function compileSnapshotFastCheck(schema: z.ZodType = snapshotSchema): SnapshotFastCheck {
  assertExpressible(schema as unknown as SchemaNode, '');
  // Draft-07 rather than 2020-12: Ajv's 2020 class supports unevaluatedProperties, so it tries every
  // branch of an anyOf (each nullable field) and builds an error object for the one that does not
  // match, garbage for every snapshot; its draft-07 class stops at the first match. Strict mode refuses
  // any keyword the draft does not know.
  const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' });
  // Patterns without the `u` flag, as zod runs them. String lengths count code points in both.
  const ajv = new Ajv({ strict: true, unicodeRegExp: false, allErrors: false });
  return ajv.compile(jsonSchema) as unknown as SnapshotFastCheck;
}

let compiled: SnapshotFastCheck | null = null;

/**
 * Validates an untrusted snapshot: the compiled check first, and zod, with
 * its readable message, for what that check refuses. An accepted snapshot is
 * the input itself: the schema is strict and transforms nothing, so what
 * passes is exactly what zod would have returned, without zod's copy.
 */
export function checkSnapshot(input: unknown): ParseResult<Snapshot> {
  compiled ??= compileSnapshotFastCheck();
  if (compiled(input)) return { ok: true, data: input };
  return parseWith(snapshotSchema, input);
}
