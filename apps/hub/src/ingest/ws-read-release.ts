import * as path from 'node:path';

/**
 * ws, the WebSocket library under socket.io's engine, keeps two references
 * to each message's bytes past the message, where V8's scavenger counts them
 * as live:
 *
 * - a frame's 4 mask bytes stay, until the connection's next frame, a view of
 *   the socket read they came in, so every connection pins its last read;
 * - a message's fragments are gathered in an array that the receiver then
 *   swaps for a new one. The old array has lived since the connection's
 *   previous message, so it is in the old generation, and the scavenger
 *   treats what it points to as live until a full collection finds the
 *   array dead.
 *
 * Either way nearly every read an agent's message came in (outside V8's
 * heap) reaches the old generation and only a full collection frees it, and
 * V8 starts a full collection when memory outside its heap has grown 64 MB
 * since the last one: with thousands of agents, about once a minute, each
 * holding the hub's event loop (docs/BENCHMARKS.md, "Why the hub is built
 * as it is").
 *
 * The release copies the mask into 4 bytes of the receiver's own and empties
 * the old fragments array once the message is built, so a read dies young.
 * Messages are unchanged; the specs hold both to ws's behaviour.
 *
 * It reaches into private fields (`_mask`, `_fragments`, `_binaryType`) and
 * methods (`getMask`, `dataMessage`) of ws's Receiver, so it applies to the
 * one ws version it was checked against: package.json pins ws to it
 * (`overrides`), and a spec fails when the two part. What would make it
 * unneeded upstream: ws's Receiver copying the 4 mask bytes instead of
 * keeping a view of the read, and emptying `_fragments` (not only replacing
 * it) once a message is built.
 */

interface ReceiverInternals {
  _mask?: Buffer;
  _fragments: unknown[];
  _binaryType: string;
  getMask(): void;
  dataMessage(cb: unknown): void;
}

interface ReceiverPrototype extends ReceiverInternals {
  [RELEASED]?: true;
}

export interface ReceiverClass {
  prototype: ReceiverPrototype;
}

/** The ws version whose Receiver internals the release was written and checked against. */
export const RELEASED_WS_VERSION = '8.21.3';

const RELEASED = Symbol.for('hostwatch.wsReadRelease');
const OWN_MASK = Symbol('hostwatch.ownMask');

/** ws as its typings describe it, and the Receiver class it exports beside them. */
type WsModule = typeof import('ws') & { Receiver: ReceiverClass };

/** Where the ws that socket.io's engine (engine.io) loads is, wherever npm placed it. */
function engineWsEntry(): string {
  const socketIoDir = path.dirname(require.resolve('socket.io'));
  const engineIo = require.resolve('engine.io', { paths: [socketIoDir] });
  return require.resolve('ws', { paths: [path.dirname(engineIo)] });
}

/** The ws module that socket.io's engine loads. */
export function engineWs(): WsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the ws engine.io loads, found at run time, not the hub's own.
  return require(engineWsEntry()) as WsModule;
}

/** The version of the ws that socket.io's engine loads. */
export function engineWsVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above: that ws's own manifest.
  const manifest = require(require.resolve('ws/package.json', { paths: [path.dirname(engineWsEntry())] })) as { version: string };
  return manifest.version;
}

/**
 * Makes ws's receivers let go of each read once its message is handed on.
 * Idempotent. False, changing nothing, for any ws but RELEASED_WS_VERSION or
 * one that lacks the internals it changes: the hub then runs as ws is, with
 * more full collections.
 */
export function releaseWsReads(Receiver: ReceiverClass = engineWs().Receiver, version: string = engineWsVersion()): boolean {
  const proto = Receiver.prototype;
  if (proto[RELEASED]) return true;
  if (version !== RELEASED_WS_VERSION) return false;
  if (typeof proto.getMask !== 'function' || typeof proto.dataMessage !== 'function') return false;

  const getMask = proto.getMask;
  proto.getMask = function (this: ReceiverInternals & { [OWN_MASK]?: Buffer }) {
    getMask.call(this);
    const mask = this._mask;
    if (mask === undefined || mask.buffer.byteLength === 4) return;
    const own = (this[OWN_MASK] ??= Buffer.alloc(4));
    mask.copy(own, 0, 0, 4);
    this._mask = own;
  };

  const dataMessage = proto.dataMessage;
  proto.dataMessage = function (this: ReceiverInternals, cb: unknown) {
    const fragments = this._fragments;
    dataMessage.call(this, cb);
    // A new array means the message was built from this one; 'fragments' hands the array itself on.
    if (this._fragments !== fragments && this._binaryType !== 'fragments') fragments.length = 0;
  };

  proto[RELEASED] = true;
  return true;
}
