import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertFiles {
  cert: string;
  key: string;
}

/** Whether the openssl command line tool is on the PATH; Node itself cannot issue certificates. */
export async function hasOpenssl(): Promise<boolean> {
  try {
    await run('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** Writes a one-day self-signed certificate for localhost and 127.0.0.1, and its key, into dir. */
export async function makeSelfSignedCert(dir: string, commonName = 'localhost'): Promise<CertFiles> {
  const files = { cert: path.join(dir, `${commonName}.cert.pem`), key: path.join(dir, `${commonName}.key.pem`) };
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-days',
    '1',
    '-keyout',
    files.key,
    '-out',
    files.cert,
  ]);
  return files;
}
