/**
 * The parts of the protocol that need no schema library: versions, limits,
 * error codes, the host id alphabet and a hand-written ack check. An agent
 * that imports only this entry (`@hostwatch/protocol/light`) and types from
 * the main one keeps zod, several MiB of its memory, out of its process.
 */
export * from './version';
export * from './limits';
export * from './error-codes';
export * from './host-id';
export * from './ack.check';
export type { ParseResult } from './parse';
export * from './snapshot.encoding';
