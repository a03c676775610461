import { z } from 'zod';

/** Holds the lowest seq still waiting for an ack: everything below it is done. */
export const MARKER_FILE = 'pending-from.json';
/** Written first and renamed over the marker, so that a crash leaves the old marker or the new one. */
export const MARKER_TEMP_FILE = 'pending-from.json.tmp';

export const markerSchema = z.object({ pendingFrom: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict();

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
