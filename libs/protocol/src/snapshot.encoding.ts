import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { LIMITS } from './limits';
import type { ParseResult } from './parse';
import type { Snapshot } from './snapshot.schema';

/**
 * How a snapshot travels: its JSON, raw-deflated (RFC 1951), as socket.io's
 * binary attachment. About 3 KB of JSON becomes about 1.1 KB.
 *
 * Compressed here rather than by WebSocket per-message deflate: ws inflates
 * asynchronously on libuv's pool, at most ten messages at a time for the
 * whole process, and a connection's later frames (its pongs) wait behind
 * its queued ones; a hub of thousands of agents then missed pongs and
 * dropped agents (docs/BENCHMARKS.md, "Why the hub is built as it is").
 * Inflating one message synchronously is cheap, needs no state per
 * connection, and stops at the message limit by construction.
 *
 * A hub also accepts the snapshot as a plain JSON object, as older agents send it.
 */
export type EncodedSnapshot = Buffer;

// Deflate's memory per call is (1 << (windowBits + 2)) + (1 << (memLevel + 9)) bytes: 144 KiB with these,
// 384 KiB with zlib's defaults, for a message that compresses no worse (it is smaller than either window).
const DEFLATE_OPTIONS = { windowBits: 13, memLevel: 8 } as const;

export function encodeSnapshot(snapshot: Snapshot): EncodedSnapshot {
  return deflateRawSync(JSON.stringify(snapshot), DEFLATE_OPTIONS);
}

/** A `snapshot` event's payload made ready for the schema. */
export interface DecodedSnapshotPayload {
  value: unknown;
  /** The JSON text an encoded snapshot was parsed from, as it came (padding included); null for a plain object. */
  json: string | null;
}

/**
 * What a `snapshot` event carried, ready for the schema: an encoded snapshot
 * is inflated (never beyond LIMITS.maxMessageBytes) and parsed; anything
 * else is handed on as it came, for the schema to judge.
 */
export function decodeSnapshotPayload(payload: unknown): ParseResult<DecodedSnapshotPayload> {
  if (!(payload instanceof Uint8Array)) return { ok: true, data: { value: payload, json: null } };
  let json: string;
  try {
    json = inflateRawSync(payload, { maxOutputLength: LIMITS.maxMessageBytes }).toString('utf8');
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    return {
      ok: false,
      message: tooLarge
        ? `(root): the deflated snapshot inflates beyond ${LIMITS.maxMessageBytes} bytes`
        : '(root): binary snapshot is not raw deflate (RFC 1951) data',
    };
  }
  try {
    return { ok: true, data: { value: JSON.parse(json) as unknown, json } };
  } catch {
    return { ok: false, message: '(root): the inflated snapshot is not JSON' };
  }
}
