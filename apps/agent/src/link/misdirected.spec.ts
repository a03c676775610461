import { expect } from 'chai';
import { io } from 'socket.io-client';
import { TestHub } from '../testing/test-hub';
import { findMisdirection } from './misdirected';

describe('findMisdirection', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await TestHub.start({ token: 'misdirected-token' });
  });

  afterEach(() => hub.close());

  /** Judges the connect_error a real socket.io client reports over these transports, before the socket is closed. */
  function judgeConnectError(transports: ('websocket' | 'polling')[]): Promise<ReturnType<typeof findMisdirection>> {
    const socket = io(`${hub.url}/agent`, { transports, reconnection: false, forceNew: true, timeout: 5000 });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => (socket.close(), reject(new Error('connected'))));
      socket.once('connect_error', (error) => {
        const sut = findMisdirection(error);
        socket.close();
        resolve(sut);
      });
    });
  }

  it("should find a 421 to long-polling with the message of the hub's JSON body", async () => {
    hub.misdirected = 'Refused: this hub answers only to hub.example.com.';

    const sut = await judgeConnectError(['polling']);

    expect(sut).to.deep.equal({ said: 'Refused: this hub answers only to hub.example.com.' });
  });

  it('should find a 421 to a WebSocket upgrade, which carries no body', async () => {
    hub.misdirected = 'Refused.';

    const sut = await judgeConnectError(['websocket']);

    expect(sut).to.deep.equal({ said: '' });
  });

  it('should find nothing when the hub is not there at all', async () => {
    const url = hub.url;
    await hub.close();
    const socket = io(`${url}/agent`, { transports: ['polling'], reconnection: false, forceNew: true, timeout: 5000 });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', (failure) => (socket.close(), resolve(failure))));

    expect(findMisdirection(error)).to.equal(null);
  });

  it('should keep a body that is not JSON as it came, and find nothing in other statuses', () => {
    const polling = (status: number, responseText: string) =>
      Object.assign(new Error('xhr poll error'), { description: status, context: { status, responseText } });

    expect(findMisdirection(polling(421, ' <h1>Misdirected</h1>\n'))).to.deep.equal({ said: '<h1>Misdirected</h1>' });
    expect(findMisdirection(polling(403, '{"message":"Too many connections"}'))).to.equal(null);
    expect(findMisdirection(Object.assign(new Error('websocket error'), { description: { error: new Error('Unexpected server response: 502') } }))).to.equal(
      null,
    );
  });
});
