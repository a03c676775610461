import { expect } from 'chai';
import { hostIdSchema } from '@hostwatch/protocol';
import { resolveHostId, toHostId } from './host-id';

describe('toHostId', () => {
  it('should keep an id that is already safe', () => {
    expect(toHostId('3d1219c7c4c5404aaa1f6d2a48adfda4')).to.equal('3d1219c7c4c5404aaa1f6d2a48adfda4');
  });

  it('should bend a host name with spaces and odd characters into the host id alphabet', () => {
    const sut = toHostId("  Anna's MacBook Pro (2) ");
    expect(sut).to.equal('Anna-s-MacBook-Pro-2-');
    expect(hostIdSchema.safeParse(sut).success).to.equal(true);
  });

  it('should cut a long name to the protocol limit and drop leading punctuation', () => {
    const sut = toHostId(`--${'x'.repeat(100)}`);
    expect(sut).to.equal('x'.repeat(64));
  });

  it('should give null when nothing usable is left', () => {
    expect(toHostId('  ..  ')).to.equal(null);
  });
});

describe('resolveHostId', () => {
  const sources = (machineId: string | null, hostname = 'web-01') => ({ machineId: async () => machineId, hostname: () => hostname });

  it('should use the configured id when there is one', async () => {
    expect(await resolveHostId('chosen', sources('abc123'))).to.equal('chosen');
  });

  it('should use the machine id by default', async () => {
    expect(await resolveHostId(null, sources('abc123'))).to.equal('abc123');
  });

  it('should fall back to the safe host name without a machine id', async () => {
    expect(await resolveHostId(null, sources(null, 'my host'))).to.equal('my-host');
  });

  it('should fall back to the host name when reading the machine id fails', async () => {
    const failing = { machineId: () => Promise.reject(new Error('EACCES')), hostname: () => 'db-2' };
    expect(await resolveHostId(null, failing)).to.equal('db-2');
  });
});
