import { expect } from 'chai';
import { AGENT_NAMESPACE, LIVE_NAMESPACE, liveSubscriptionSchema, parseWith } from './index';

describe('liveSubscriptionSchema', () => {
  it('should accept a subscription to the host list', () => {
    expect(parseWith(liveSubscriptionSchema, { view: 'list' })).to.deep.equal({ ok: true, data: { view: 'list' } });
  });

  it('should accept a subscription to one host', () => {
    expect(parseWith(liveSubscriptionSchema, { view: 'host', hostId: 'web-01' })).to.deep.equal({
      ok: true,
      data: { view: 'host', hostId: 'web-01' },
    });
  });

  it('should reject a host subscription without a valid host id and name the path', () => {
    const missing = parseWith(liveSubscriptionSchema, { view: 'host' });
    const hostile = parseWith(liveSubscriptionSchema, { view: 'host', hostId: '"><script>' });

    expect(missing.ok === false && missing.message).to.match(/^hostId: /);
    expect(hostile.ok === false && hostile.message).to.match(/^hostId: /);
  });

  it('should reject an unknown view, extra keys and non-objects', () => {
    expect(parseWith(liveSubscriptionSchema, { view: 'snapshot' }).ok).to.equal(false);
    expect(parseWith(liveSubscriptionSchema, { view: 'list', hostId: 'web-01' }).ok).to.equal(false);
    expect(parseWith(liveSubscriptionSchema, 'list').ok).to.equal(false);
    expect(parseWith(liveSubscriptionSchema, null).ok).to.equal(false);
  });

  it('should name a namespace of its own, apart from the agents', () => {
    expect(LIVE_NAMESPACE).to.match(/^\/[a-z]+$/);
    expect(LIVE_NAMESPACE).to.not.equal(AGENT_NAMESPACE);
  });
});
