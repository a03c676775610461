import * as tls from 'node:tls';
import { expect } from 'chai';
import { describeCertificateProblem, findCertificateProblem, holdsPemCertificate, tlsTrust } from './tls-trust';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** What socket.io-client's polling transport hands to connect_error when the TLS handshake fails. */
function pollingError(cause: Error): Error {
  return Object.assign(new Error('xhr poll error'), { type: 'TransportError', description: 0, context: { statusText: cause } });
}

function tlsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('tlsTrust', () => {
  it('should verify against the system CAs when no bundle is given', () => {
    expect(tlsTrust({ caPem: null, insecure: false })).to.deep.equal({ rejectUnauthorized: true });
  });

  it('should add the bundle to the system CAs rather than replace them', () => {
    const sut = tlsTrust({ caPem: PEM, insecure: false });

    expect(sut.ca).to.have.length(tls.rootCertificates.length + 1);
    expect(sut.ca?.at(-1)).to.equal(PEM);
    expect(sut.ca).to.include(tls.rootCertificates[0]);
  });

  it('should turn verification off only with insecure', () => {
    expect(tlsTrust({ caPem: null, insecure: true }).rejectUnauthorized).to.equal(false);
  });
});

describe('holdsPemCertificate', () => {
  it('should accept a PEM certificate and refuse a key or other text', () => {
    expect(holdsPemCertificate(`junk\n${PEM}`)).to.equal(true);
    expect(holdsPemCertificate('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n')).to.equal(false);
    expect(holdsPemCertificate('')).to.equal(false);
  });
});

describe('findCertificateProblem', () => {
  it('should find a self-signed certificate inside a polling error', () => {
    const sut = findCertificateProblem(pollingError(tlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')));

    expect(sut).to.deep.equal({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', reason: 'self-signed certificate' });
  });

  it('should find a certificate error inside a WebSocket ErrorEvent', () => {
    const error = Object.assign(new Error('websocket error'), {
      description: { error: tlsError('CERT_HAS_EXPIRED', 'certificate has expired') },
    });

    expect(findCertificateProblem(error)?.code).to.equal('CERT_HAS_EXPIRED');
  });

  it('should not take a refused connection or a reset for a certificate problem', () => {
    expect(findCertificateProblem(pollingError(tlsError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')))).to.equal(null);
    expect(findCertificateProblem(pollingError(tlsError('ECONNRESET', 'socket hang up')))).to.equal(null);
    expect(findCertificateProblem(new Error('timeout'))).to.equal(null);
  });
});

describe('describeCertificateProblem', () => {
  it('should name the cause and both ways out of an untrusted certificate', () => {
    const sut = describeCertificateProblem({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', reason: 'self-signed certificate' });

    expect(sut).to.equal(
      "the hub's certificate is not trusted (self-signed certificate): pass --ca FILE with the CA that signed it (or the hub's own certificate if self-signed), or --insecure to skip verification",
    );
  });

  it('should tell a wrong name and an expiry apart from an untrusted issuer', () => {
    expect(describeCertificateProblem({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: "Hostname/IP does not match certificate's altnames" })).to.contain(
      'does not name the host in --hub',
    );
    expect(describeCertificateProblem({ code: 'CERT_HAS_EXPIRED', reason: 'certificate has expired' })).to.contain('renew it on the hub');
  });
});
