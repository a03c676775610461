import { expect } from 'chai';
import { HUB_URL_PLACEHOLDER, hubUrlFor } from './hub-url';
import { installCommand, shellWord } from './install-command';

describe('installCommand', () => {
  it('should give the one line with the hub, the host id and the token', () => {
    const line = installCommand({ hubUrl: 'http://hub.example:3000/', tls: false }, { hostId: 'web-01', token: 'tok_EN-1' });

    expect(line).to.equal(
      'curl -fsSL http://hub.example:3000/install/agent.sh | sudo sh -s -- --hub http://hub.example:3000 --host-id web-01 --token tok_EN-1',
    );
  });

  it('should name the CA file for curl and the script where the hub serves TLS', () => {
    const line = installCommand({ hubUrl: 'https://hub.example:3000', tls: true }, { token: 't' });

    expect(line).to.equal(
      'curl -fsSL --cacert hostwatch-ca.pem https://hub.example:3000/install/agent.sh | sudo sh -s -- --hub https://hub.example:3000 --token t --ca hostwatch-ca.pem',
    );
  });

  it('should upgrade without a token, keeping the installed one', () => {
    expect(installCommand({ hubUrl: 'http://[::1]:3000', tls: false })).to.equal(
      "curl -fsSL 'http://[::1]:3000/install/agent.sh' | sudo sh -s -- --hub 'http://[::1]:3000'",
    );
  });

  it('should quote anything a shell would read as more than a word', () => {
    expect(shellWord("a b'c")).to.equal("'a b'\\''c'");
    expect(shellWord('$(id)')).to.equal("'$(id)'");
  });
});

describe('hubUrlFor', () => {
  it('should prefer the first public URL', () => {
    expect(hubUrlFor(['https://hub.example.com/', 'http://other'], { protocol: 'http', host: '127.0.0.1:3000' })).to.equal('https://hub.example.com');
  });

  it('should otherwise use the URL the browser used', () => {
    expect(hubUrlFor([], { protocol: 'http', host: 'Hub.LAN:3000' })).to.equal('http://hub.lan:3000');
    expect(hubUrlFor(undefined, { protocol: 'https', host: '[::1]:8443' })).to.equal('https://[::1]:8443');
  });

  it('should not put a strange Host into a command line', () => {
    for (const host of [undefined, '', 'a b', 'x$(id)', 'user@host', 'h/path']) {
      expect(hubUrlFor([], { protocol: 'http', host }), String(host)).to.equal(HUB_URL_PLACEHOLDER);
    }
  });
});
