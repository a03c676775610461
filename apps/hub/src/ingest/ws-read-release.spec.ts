import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RELEASED_WS_VERSION, engineWs, engineWsVersion, releaseWsReads, type ReceiverClass } from './ws-read-release';

type EngineWs = ReturnType<typeof engineWs>;
type ServerSocket = InstanceType<EngineWs['WebSocket']>;

interface ReceiverState {
  _mask?: Buffer;
  _fragments: unknown[];
}

interface Pair {
  client: ServerSocket;
  server: ServerSocket;
  receiver: ReceiverState;
  /** Messages the server got, in order: [data, isBinary]. */
  received: Array<[Buffer, boolean]>;
  next(): Promise<[Buffer, boolean]>;
}

/** A real WebSocket server on port 0 and a client, both from the ws that socket.io's engine loads. */
async function connectPair(cleanup: Array<() => void>): Promise<Pair> {
  const ws = engineWs();
  const wss = new ws.WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  cleanup.push(() => wss.close());
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const accepted = new Promise<ServerSocket>((resolve) => wss.once('connection', (socket: ServerSocket) => resolve(socket)));
  const client = new ws.WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  cleanup.push(() => client.terminate());
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const server = await accepted;
  const received: Array<[Buffer, boolean]> = [];
  const waiting: Array<(message: [Buffer, boolean]) => void> = [];
  server.on('message', (data: Buffer, isBinary: boolean) => {
    const message: [Buffer, boolean] = [Buffer.from(data), isBinary];
    received.push(message);
    waiting.shift()?.(message);
  });
  const receiver = (server as unknown as { _receiver: ReceiverState })._receiver;
  return { client, server, receiver, received, next: () => new Promise((resolve) => waiting.push(resolve)) };
}

describe('releaseWsReads', () => {
  const cleanup: Array<() => void> = [];

  before(() => {
    expect(releaseWsReads()).to.equal(true);
  });

  afterEach(() => {
    for (const task of cleanup.splice(0).reverse()) task();
  });

  it('should leave no reference to a message in the fragments array the receiver dropped, nor keep the mask as a view of the read', async () => {
    const pair = await connectPair(cleanup);
    const dropped = pair.receiver._fragments;
    const payload = randomBytes(2000);

    const arrived = pair.next();
    pair.client.send(payload);
    const [data] = await arrived;

    expect(data.equals(payload)).to.equal(true);
    expect(pair.receiver._fragments).to.not.equal(dropped);
    expect(dropped).to.have.length(0);
    // Four bytes of the receiver's own, not a window on the socket read the frame came in.
    expect(pair.receiver._mask?.buffer.byteLength).to.equal(4);
  });

  it('should deliver text, binary, fragmented and multi-read messages exactly as sent', async () => {
    const pair = await connectPair(cleanup);
    const binary = randomBytes(5000);
    const first = randomBytes(700);
    const second = randomBytes(900);
    // Larger than a socket read, so its frame is gathered from several reads, mask and data apart.
    const large = randomBytes(300 * 1024);

    pair.client.send('héllo, hub');
    pair.client.send(binary);
    pair.client.send(first, { fin: false });
    pair.client.send(second, { fin: true });
    pair.client.send(large);
    pair.client.send('after');
    while (pair.received.length < 5) await pair.next();

    expect(pair.received.map(([, isBinary]) => isBinary)).to.deep.equal([false, true, true, true, false]);
    expect(pair.received[0][0].toString('utf8')).to.equal('héllo, hub');
    expect(pair.received[1][0].equals(binary)).to.equal(true);
    expect(pair.received[2][0].equals(Buffer.concat([first, second]))).to.equal(true);
    expect(pair.received[3][0].equals(large)).to.equal(true);
    expect(pair.received[4][0].toString('utf8')).to.equal('after');
  });

  it('should change the receiver once however often it is called', () => {
    const { prototype } = engineWs().Receiver;
    const getMask = prototype.getMask;
    const dataMessage = prototype.dataMessage;

    expect(releaseWsReads()).to.equal(true);

    expect(prototype.getMask).to.equal(getMask);
    expect(prototype.dataMessage).to.equal(dataMessage);
  });

  it('should leave a ws without those internals as it is and say so', () => {
    const prototype = {};
    expect(releaseWsReads({ prototype } as unknown as ReceiverClass, RELEASED_WS_VERSION)).to.equal(false);
    expect(prototype).to.deep.equal({});
  });

  it('should leave any other ws version as it is, whatever internals it has', () => {
    const methods = { getMask: () => undefined, dataMessage: () => undefined };
    const prototype = { ...methods };
    expect(releaseWsReads({ prototype } as unknown as ReceiverClass, '8.22.0')).to.equal(false);
    expect(prototype).to.deep.equal(methods);
  });

  it('should run on the exact ws version it was checked against, pinned in package.json', () => {
    const root = path.join(__dirname, '..', '..', '..', '..');
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { overrides?: Record<string, string> };
    const message = `ws-read-release.ts reaches into ws ${RELEASED_WS_VERSION}'s private Receiver fields: check them against the new ws before moving the pin`;

    expect(engineWsVersion(), message).to.equal(RELEASED_WS_VERSION);
    expect(manifest.overrides?.['ws'], message).to.equal(RELEASED_WS_VERSION);
  });

  it('should find every private field and method it changes on a real receiver of that ws', () => {
    const receiver = new (engineWs().Receiver as unknown as new () => Record<string, unknown>)();

    expect(receiver, '_fragments').to.have.property('_fragments').that.is.an('array');
    expect(receiver, '_binaryType').to.have.property('_binaryType').that.is.a('string');
    expect(Object.keys(receiver), '_mask').to.include('_mask');
    expect(receiver['getMask'], 'getMask').to.be.a('function');
    expect(receiver['dataMessage'], 'dataMessage').to.be.a('function');
  });
});
