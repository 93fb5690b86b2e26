// TLS for the sync target as libpq decides it: the six sslmodes, sslrootcert, and an explicit meaning for ssl=true.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { SporeprintError } from '../errors';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export function isSslMode(value: string): value is SslMode {
  return (SSL_MODES as readonly string[]).includes(value);
}

/** Validates an sslmode named by `where` (the URL, PGSSLMODE, SPOREPRINT_PG_SSL); anything outside libpq's set is an error. */
export function parseSslMode(value: string, where: string): SslMode {
  if (isSslMode(value)) return value;
  throw new SporeprintError('INVALID_INPUT', `sslmode "${value}" in ${where} is not one of ${SSL_MODES.join(', ')} (as in libpq)`);
}

/**
 * `ssl=true|1` is mapped to sslmode=require and `ssl=false|0` to disable (node-postgres' own URL parser would
 * read them its own way); combined with a different sslmode, or with another value, it is refused.
 */
export function sslModeFromLegacyFlag(value: string, sslmode: SslMode | null): SslMode {
  const mapped = value === 'true' || value === '1' ? 'require' : value === 'false' || value === '0' ? 'disable' : null;
  if (mapped === null)
    throw new SporeprintError('INVALID_INPUT', `ssl=${value} in the sync URL is not understood; use sslmode=${SSL_MODES.join('|')}`);
  if (sslmode !== null && sslmode !== mapped) {
    throw new SporeprintError('INVALID_INPUT', `the sync URL says both ssl=${value} (sslmode=${mapped}) and sslmode=${sslmode}; keep one`);
  }
  return mapped;
}

/** One connection attempt's TLS settings: false for plain text. */
export type TlsAttempt = false | ConnectionOptions;

/**
 * The attempts libpq would make, in order: `prefer` tries TLS then plain text, `allow` plain text then TLS.
 * require without a root certificate encrypts without verifying (libpq too); with one, it verifies the chain
 * like verify-ca. verify-ca checks the chain but not the host name; verify-full checks both.
 */
export function tlsAttempts(mode: SslMode, rootCertFile: string | null): TlsAttempt[] {
  const ca = rootCertFile && rootCertFile !== 'system' ? readRootCert(rootCertFile) : undefined;
  const withCa = ca ? { ca } : {};
  const unverified: ConnectionOptions = { rejectUnauthorized: false };
  const chainOnly: ConnectionOptions = { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...withCa };
  switch (mode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, unverified];
    case 'prefer':
      return [unverified, false];
    case 'require':
      return [ca ? chainOnly : unverified];
    case 'verify-ca':
      return [chainOnly];
    case 'verify-full':
      return [{ rejectUnauthorized: true, ...withCa }];
  }
}

function readRootCert(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SporeprintError('INVALID_INPUT', `cannot read the CA certificate (${(err as Error).message})`, file);
  }
}
