import * as fs from 'node:fs';
import * as tls from 'node:tls';
import type { HubConfig } from './hub-config';

/** The PEM texts of the hub's certificate and key, as https.createServer takes them. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/** A certificate or key that cannot serve: the hub must not start, and the message says which file and why. */
export class TlsFilesError extends Error {
  override readonly name = 'TlsFilesError';
}

export type ReadPemFile = (file: string) => string;

/**
 * Reads and checks the certificate and key named by the config, or returns
 * null when TLS is off. Checked here, before the server exists, so that a
 * wrong file stops the start with its name instead of failing each handshake.
 */
export function readTlsFiles(config: Pick<HubConfig, 'tlsCert' | 'tlsKey'>, readFile: ReadPemFile = (file) => fs.readFileSync(file, 'utf8')): TlsFiles | null {
  if (!config.tlsCert || !config.tlsKey) return null;
  const cert = readPem(config.tlsCert, '--tls-cert', 'certificate', readFile);
  const key = readPem(config.tlsKey, '--tls-key', 'private key', readFile);
  try {
    // Throws on malformed PEM and on a key that does not belong to the certificate.
    tls.createSecureContext({ cert, key });
  } catch (error) {
    throw new TlsFilesError(
      `the TLS certificate ${config.tlsCert} and key ${config.tlsKey} cannot be used together (${reason(error)}); check --tls-cert and --tls-key`,
    );
  }
  return { cert, key };
}

function readPem(file: string, flag: string, what: string, readFile: ReadPemFile): string {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new TlsFilesError(`cannot read the TLS ${what} ${file} given by ${flag} (${reason(error)})`);
  }
  if (!text.includes('-----BEGIN ')) throw new TlsFilesError(`the TLS ${what} ${file} given by ${flag} is not a PEM file`);
  return text;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
