import { expect } from 'chai';
import { HubLogger } from './hub-logger';

describe('HubLogger', () => {
  function capture(run: (sut: HubLogger) => void): string {
    let written = '';
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
    try {
      run(new HubLogger('Test', { colors: false }));
    } finally {
      process.stdout.write = original;
    }
    return written;
  }

  it('should drop the framework start-up lines', () => {
    const output = capture((sut) => sut.log('Mapped {/api/hosts, GET} route', 'RouterExplorer'));

    expect(output).to.equal('');
  });

  it('should keep the hub own lines', () => {
    const output = capture((sut) => sut.log('Dashboard at http://127.0.0.1:3000/', 'Hub'));

    expect(output).to.contain('[Hub] Dashboard at http://127.0.0.1:3000/');
  });
});
