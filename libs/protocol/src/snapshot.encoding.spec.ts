import { deflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import { LIMITS } from './limits';
import { decodeSnapshotPayload, encodeSnapshot } from './snapshot.encoding';
import { parseWith } from './parse';
import { snapshotSchema } from './snapshot.schema';
import { validSnapshot } from './testing';

describe('snapshot encoding', () => {
  it('should give back the very snapshot it encoded, in far fewer bytes than its JSON', () => {
    const snapshot = validSnapshot();

    const encoded = encodeSnapshot(snapshot);
    const decoded = decodeSnapshotPayload(encoded);

    expect(decoded).to.deep.equal({ ok: true, data: { value: snapshot, json: JSON.stringify(snapshot) } });
    expect(parseWith(snapshotSchema, decoded.ok ? decoded.data.value : null).ok).to.equal(true);
    expect(encoded.length).to.be.below(JSON.stringify(snapshot).length / 2);
  });

  it('should hand a plain object on unchanged, for the schema to judge', () => {
    const payload = { hostId: 'web-01' };

    expect(decodeSnapshotPayload(payload)).to.deep.equal({ ok: true, data: { value: payload, json: null } });
  });

  it('should refuse a small payload that inflates beyond the message limit', () => {
    const bomb = deflateRawSync(Buffer.alloc(64 * LIMITS.maxMessageBytes, 0x20));
    expect(bomb.length).to.be.below(64 * 1024);

    const result = decodeSnapshotPayload(bomb);

    expect(result).to.deep.equal({ ok: false, message: `(root): the deflated snapshot inflates beyond ${LIMITS.maxMessageBytes} bytes` });
  });

  it('should refuse bytes that are not raw deflate, and deflate that is not JSON', () => {
    expect(decodeSnapshotPayload(Buffer.from([0xff, 0xff, 0xff, 0xff]))).to.deep.equal({
      ok: false,
      message: '(root): binary snapshot is not raw deflate (RFC 1951) data',
    });
    expect(decodeSnapshotPayload(deflateRawSync('{"hostId": '))).to.deep.equal({ ok: false, message: '(root): the inflated snapshot is not JSON' });
  });
});
