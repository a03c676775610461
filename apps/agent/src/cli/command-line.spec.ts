import { expect } from 'chai';
import { CONFIG_KEYS } from '../config/config-keys';
import { parseCommandLine } from './command-line';

function parse(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const result = parseCommandLine(args, { writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  return { result, out: out.join(''), err: err.join('') };
}

describe('parseCommandLine', () => {
  it('should hand over only the flags that were given, as text or true', () => {
    const { result } = parse(['--hub', 'http://h:1', '--interval', '0.5', '--host-id', 'web-01', '--console']);
    expect(result).to.deep.equal({ kind: 'run', flags: { hub: 'http://h:1', interval: '0.5', hostId: 'web-01', console: true } });
  });

  it('should document every flag and its environment variable in --help, and exit 0', () => {
    const { result, out } = parse(['--help']);
    expect(result).to.deep.equal({ kind: 'exit', code: 0 });
    for (const { flag, env } of Object.values(CONFIG_KEYS)) {
      expect(out).to.contain(flag);
      expect(out).to.contain(env);
    }
  });

  it('should say in --help that the buffer holds one hour of samples at the interval', () => {
    const { out } = parse(['--help']);
    expect(out.replace(/\s+/g, ' ')).to.contain('(default: 1 hour of samples, 3600 / interval, e.g. 720 at 5 s)');
  });

  it('should hand over --spool-dir as spoolDir', () => {
    const { result } = parse(['--spool-dir', '/var/lib/hostwatch/spool']);
    expect(result).to.deep.equal({ kind: 'run', flags: { spoolDir: '/var/lib/hostwatch/spool' } });
  });

  it('should refuse an unknown flag with exit code 2', () => {
    const { result, err } = parse(['--intervall', '5']);
    expect(result).to.deep.equal({ kind: 'exit', code: 2 });
    expect(err).to.contain("unknown option '--intervall'");
  });
});
