import * as tls from 'node:tls';

/** How the agent checks an https hub, as socket.io-client passes it on to both of its transports. */
export interface TlsTrust {
  /** Trusted CA certificates (PEM); left out: Node's built-in ones. */
  ca?: string[];
  rejectUnauthorized: boolean;
}

/**
 * Node's `ca` option replaces the built-in roots, so the extra bundle is
 * added to them: a hub behind a public certificate keeps working with --ca set.
 */
export function tlsTrust(options: { caPem: string | null; insecure: boolean }): TlsTrust {
  return {
    ...(options.caPem === null ? {} : { ca: [...tls.rootCertificates, options.caPem] }),
    rejectUnauthorized: !options.insecure,
  };
}

/** Whether a text holds at least one PEM certificate, the only thing --ca can use. */
export function holdsPemCertificate(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text);
}

/** A hub certificate that failed verification: the TLS error's code and Node's words for it. */
export interface CertificateProblem {
  code: string;
  reason: string;
}

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const WRONG_NAME = 'ERR_TLS_CERT_ALTNAME_INVALID';

/**
 * Finds a certificate verification failure inside a socket.io connect_error,
 * which hides it in `description`, `context.statusText` or an ErrorEvent.
 */
export function findCertificateProblem(error: unknown, depth = 0): CertificateProblem | null {
  if (typeof error !== 'object' || error === null || depth > 4) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNTRUSTED.has(code) || EXPIRED.has(code) || code === WRONG_NAME)) {
    return { code, reason: typeof message === 'string' && message ? message : code };
  }
  const { description, context, error: inner, cause } = error as { description?: unknown; context?: unknown; error?: unknown; cause?: unknown };
  const statusText = typeof context === 'object' && context !== null ? (context as { statusText?: unknown }).statusText : undefined;
  for (const nested of [description, statusText, inner, cause]) {
    const found = findCertificateProblem(nested, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Says what is wrong with the hub's certificate and what to change. */
export function describeCertificateProblem({ code, reason }: CertificateProblem): string {
  if (EXPIRED.has(code)) {
    return `the hub's certificate is not valid now (${reason}): renew it on the hub, or check this machine's clock`;
  }
  if (code === WRONG_NAME) {
    return `the hub's certificate does not name the host in --hub (${reason}): use a --hub URL with a name the certificate lists, or reissue the certificate for this name`;
  }
  return `the hub's certificate is not trusted (${reason}): pass --ca FILE with the CA that signed it (or the hub's own certificate if self-signed), or --insecure to skip verification`;
}
