/** Holds the lowest seq still waiting for an ack: everything below it is done. */
export const MARKER_FILE = 'pending-from.json';
/** Written first and renamed over the marker, so that a crash leaves the old marker or the new one. */
export const MARKER_TEMP_FILE = 'pending-from.json.tmp';

/**
 * The marker's `pendingFrom`, or a line saying what is wrong with the parsed
 * JSON: an object with that one key, a whole number from 0 to 2^53 - 1.
 */
export function readMarkerValue(json: unknown): { ok: true; pendingFrom: number } | { ok: false; message: string } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, message: '(root): expected an object' };
  const extra = Object.keys(json).find((key) => key !== 'pendingFrom');
  if (extra !== undefined) return { ok: false, message: `(root): unrecognized key ${JSON.stringify(extra)}` };
  const value: unknown = (json as { pendingFrom?: unknown }).pendingFrom;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return { ok: false, message: 'pendingFrom: expected a whole number from 0 to 2^53 - 1' };
  }
  return { ok: true, pendingFrom: value };
}

// 16 digits hold every safe integer, so names sort the way their seqs do.
const SEQ_DIGITS = 16;
const SEGMENT_NAME = /^(\d{1,16})\.jsonl$/;

/** A segment is named after the seq of its first line. */
export function segmentFileName(firstSeq: number): string {
  return `${String(firstSeq).padStart(SEQ_DIGITS, '0')}.jsonl`;
}

/** The first seq of a segment file, or null for a name that is not one. */
export function segmentFirstSeq(name: string): number | null {
  const match = SEGMENT_NAME.exec(name);
  return match ? Number(match[1]) : null;
}
