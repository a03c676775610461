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
 * Either way nearly every read an agent's message came in (about 1 KB,
 * outside V8's heap) reaches the old generation and only a full collection
 * frees it. At 10,000 agents that is about 1 MB a second, and V8 starts a full
 * collection when memory outside its heap has grown 64 MB since the last one:
 * about once a minute, each holding the hub's event loop for hundreds of ms
 * on two shared cores (docs/BENCHMARKS.md, section 2).
 *
 * The release copies the mask into 4 bytes of the receiver's own and empties
 * the old fragments array once the message is built, so a read dies young.
 * Messages are unchanged; the specs hold both to ws's behaviour.
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

const RELEASED = Symbol.for('hostwatch.wsReadRelease');
const OWN_MASK = Symbol('hostwatch.ownMask');

/** ws as its typings describe it, and the Receiver class it exports beside them. */
type WsModule = typeof import('ws') & { Receiver: ReceiverClass };

/** The ws module that socket.io's engine (engine.io) loads, wherever npm placed it. */
export function engineWs(): WsModule {
  const socketIoDir = path.dirname(require.resolve('socket.io'));
  const engineIo = require.resolve('engine.io', { paths: [socketIoDir] });
  return require(require.resolve('ws', { paths: [path.dirname(engineIo)] })) as WsModule;
}

/**
 * Makes ws's receivers let go of each read once its message is handed on.
 * Idempotent. False when this ws lacks the internals it changes (another
 * version): the hub then runs as ws is, with more full collections.
 */
export function releaseWsReads(Receiver: ReceiverClass = engineWs().Receiver): boolean {
  const proto = Receiver.prototype;
  if (proto[RELEASED]) return true;
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
