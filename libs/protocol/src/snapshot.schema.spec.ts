import { expect } from 'chai';
import { LIMITS, parseWith, snapshotSchema } from './index';
import { validSnapshot } from './testing';

describe('snapshotSchema', () => {
  const parse = (input: unknown) => parseWith(snapshotSchema, input);

  it('should accept the valid fixture', () => {
    const result = parse(validSnapshot());
    expect(result).to.deep.equal({ ok: true, data: validSnapshot() });
  });

  it('should accept null for everything a machine may lack', () => {
    const snapshot = validSnapshot();
    snapshot.cpu.usagePercent = null;
    snapshot.cpu.load = null;
    snapshot.network[1].speedMbps = null;
    snapshot.network[1].rxBytesPerSec = null;
    snapshot.diskIo = { readBytesPerSec: null, writeBytesPerSec: null };
    expect(parse(snapshot).ok).to.equal(true);
  });

  it('should reject a missing field and name its path', () => {
    const snapshot: Record<string, unknown> = validSnapshot();
    delete (snapshot.memory as Record<string, unknown>).totalBytes;
    const result = parse(snapshot);
    expect(result.ok).to.equal(false);
    expect(result.ok === false && result.message).to.match(/^memory\.totalBytes: /);
  });

  it('should reject a wrong type and name its path', () => {
    const snapshot = validSnapshot() as unknown as { cpu: { usagePercent: unknown } };
    snapshot.cpu.usagePercent = '12';
    const result = parse(snapshot);
    expect(result.ok === false && result.message).to.match(/^cpu\.usagePercent: .*expected number/);
  });

  it('should reject NaN and Infinity', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const snapshot = validSnapshot();
      snapshot.processes.top[0].cpuPercent = bad;
      const result = parse(snapshot);
      expect(result.ok === false && result.message, String(bad)).to.match(/^processes\.top\.0\.cpuPercent: /);
    }
  });

  it('should reject an oversized string and name its path', () => {
    const snapshot = validSnapshot();
    snapshot.processes.top[0].command = 'x'.repeat(LIMITS.commandText + 1);
    const result = parse(snapshot);
    expect(result.ok === false && result.message).to.match(/^processes\.top\.0\.command: .*too big/i);
  });

  it('should reject an oversized array and name its path', () => {
    const snapshot = validSnapshot();
    snapshot.processes.top = Array.from({ length: LIMITS.topProcesses + 1 }, () => validSnapshot().processes.top[0]);
    const result = parse(snapshot);
    expect(result.ok === false && result.message).to.match(/^processes\.top: .*too big/i);
  });

  it('should reject an extra key and name it', () => {
    const snapshot = { ...validSnapshot(), memory: { ...validSnapshot().memory, evil: 1 } };
    const result = parse(snapshot);
    expect(result.ok === false && result.message).to.match(/^memory: .*evil/);
  });

  it('should reject prototype-pollution keys as extra keys', () => {
    const snapshot = JSON.parse(JSON.stringify(validSnapshot()).replace('{"hostId"', '{"__proto__":{"polluted":true},"hostId"'));
    const result = parse(snapshot);
    expect(result.ok).to.equal(false);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('should reject a host id outside the safe alphabet', () => {
    const result = parse(validSnapshot({ hostId: '../etc/passwd' }));
    expect(result.ok === false && result.message).to.match(/^hostId: /);
  });

  it('should reject a negative or fractional seq', () => {
    expect(parse(validSnapshot({ seq: -1 })).ok).to.equal(false);
    expect(parse(validSnapshot({ seq: 1.5 })).ok).to.equal(false);
  });

  it('should cap the number of problems it lists', () => {
    const result = parse({ hostId: 1, seq: 'a', ts: 'b', cpu: 1, memory: 2, battery: 3, network: 4, filesystems: 5 });
    expect(result.ok === false && result.message).to.match(/\(and \d+ more\)$/);
  });
});
