// Credentials and TLS for the sync target: no password in URLs, provider > PGPASSWORD > pgpass file, TLS modes.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { effectiveSslMode, parseTargetUrl, redactUrl, resolvePassword } from '../../../../src-main/core/sync/pg-connection';
import { tlsAttempts } from '../../../../src-main/core/sync/ssl-mode';
import { findPgpassPassword, splitPgpassLine } from '../../../../src-main/core/sync/pgpass';
import { makeTempDir } from '../../../fixtures/temp-library';

const tmp = makeTempDir('sporeprint-pgpass-');
afterAll(() => tmp.cleanup());

describe('sync target URL', () => {
  it('parses host, port, database and user, with libpq defaults from the environment', () => {
    expect(parseTargetUrl('postgres://curator@db.lab.example:6543/mindex?sslmode=require', {})).toEqual({
      host: 'db.lab.example',
      port: 6543,
      database: 'mindex',
      user: 'curator',
      sslmode: 'require',
      sslrootcert: null,
    });
    expect(parseTargetUrl('postgresql:///', { PGHOST: 'h', PGPORT: '5433', PGDATABASE: 'd', PGUSER: 'u' })).toMatchObject({
      port: 5433,
      database: 'd',
      user: 'u',
    });
  });

  it('refuses a password in the URL and anything that is not postgres://', () => {
    expect(() => parseTargetUrl('postgres://u:s3cret@h/db', {})).toThrow(/carries a password.*PGPASSWORD/);
    expect(() => parseTargetUrl('mysql://u@h/db', {})).toThrow(/not a PostgreSQL URL/);
    expect(() => parseTargetUrl('not a url', {})).toThrow(/not a PostgreSQL URL/);
    expect(redactUrl('postgres://u:s3cret@h/db')).toBe('postgres://u@h/db');
  });

  it('refuses a password passed as a query parameter, in any case, and never echoes it', () => {
    for (const url of ['postgres://u@h/db?password=s3cret', 'postgres://u@h/db?sslmode=require&PassWord=s3cret']) {
      let message = '';
      try {
        parseTargetUrl(url, {});
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/carries a password/);
      expect(message).not.toContain('s3cret');
      expect(redactUrl(url)).not.toContain('s3cret');
    }
  });

  it('validates sslmode as libpq does and refuses unknown parameters', () => {
    for (const mode of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const) {
      expect(parseTargetUrl(`postgres://u@h/db?sslmode=${mode}`, {}).sslmode).toBe(mode);
    }
    expect(() => parseTargetUrl('postgres://u@h/db?sslmode=on', {})).toThrow(/sslmode "on" in the sync URL is not one of disable, allow/);
    expect(() => parseTargetUrl('postgres://u@h/db?sslmode=verify_full', {})).toThrow(/not one of/);
    expect(() => parseTargetUrl('postgres://u@h/db?ssl_mode=require', {})).toThrow(/parameters Sporeprint does not use \(ssl_mode\)/);
    expect(() => effectiveSslMode(parseTargetUrl('postgres://u@h/db', {}), { env: { PGSSLMODE: 'yes' } })).toThrow(/PGSSLMODE/);
    expect(effectiveSslMode(parseTargetUrl('postgres://u@h/db', {}), { env: {} })).toBe('prefer');
    expect(effectiveSslMode(parseTargetUrl('postgres://u@h/db', {}), { env: { PGSSLMODE: 'verify-ca' } })).toBe('verify-ca');
    expect(effectiveSslMode(parseTargetUrl('postgres://u@h/db?sslmode=disable', {}), { ssl: 'require', env: {} })).toBe('disable');
  });

  it('maps ssl=true to sslmode=require explicitly, and refuses it against a different sslmode', () => {
    expect(parseTargetUrl('postgres://u@h/db?ssl=true', {}).sslmode).toBe('require');
    expect(parseTargetUrl('postgres://u@h/db?ssl=1&sslmode=require', {}).sslmode).toBe('require');
    expect(parseTargetUrl('postgres://u@h/db?ssl=false', {}).sslmode).toBe('disable');
    expect(() => parseTargetUrl('postgres://u@h/db?ssl=true&sslmode=disable', {})).toThrow(/both ssl=true .* and sslmode=disable/);
    expect(() => parseTargetUrl('postgres://u@h/db?ssl=yes', {})).toThrow(/ssl=yes .* not understood/);
  });
});

describe('password resolution', () => {
  const target = { host: 'db.lab', port: 5432, database: 'mindex', user: 'ana', sslmode: null, sslrootcert: null };

  it('asks the injected provider (the app keychain) first, then PGPASSWORD, then the pgpass file', async () => {
    const file = path.join(tmp.dir, 'pgpass');
    writeFileSync(file, '# lab\ndb.lab:5432:mindex:ana:from-file\n');
    chmodSync(file, 0o600);
    const env = { PGPASSFILE: file };
    expect(await resolvePassword(target, env, () => 'from-keychain')).toBe('from-keychain');
    expect(await resolvePassword(target, { ...env, PGPASSWORD: 'from-env' }, async () => undefined)).toBe('from-env');
    expect(await resolvePassword(target, env)).toBe('from-file');
    expect(await resolvePassword({ ...target, user: 'ben' }, env)).toBeUndefined();
  });

  it('ignores a password file that others can read, as libpq does', async () => {
    const file = path.join(tmp.dir, 'pgpass-open');
    writeFileSync(file, '*:*:*:*:leaked\n');
    chmodSync(file, 0o644);
    expect(await resolvePassword(target, { PGPASSFILE: file })).toBeUndefined();
  });

  it('matches pgpass lines with wildcards and escapes like libpq', () => {
    expect(splitPgpassLine('h:5432:d\\:x:u:pa\\\\ss')).toEqual(['h', '5432', 'd:x', 'u', 'pa\\ss']);
    const text = 'other:*:*:*:no\n*:5432:mindex:*:wild\n';
    expect(findPgpassPassword(text, target)).toBe('wild');
    expect(findPgpassPassword('localhost:5432:*:*:loop', { ...target, host: '127.0.0.1' })).toBe('loop');
    expect(findPgpassPassword('short:line', target)).toBeUndefined();
  });
});

describe('TLS attempts', () => {
  it('follows libpq: prefer tries TLS then plain, allow the reverse, require verifies only with a root certificate', () => {
    expect(tlsAttempts('disable', null)).toEqual([false]);
    expect(tlsAttempts('prefer', null)).toEqual([{ rejectUnauthorized: false }, false]);
    expect(tlsAttempts('allow', null)).toEqual([false, { rejectUnauthorized: false }]);
    expect(tlsAttempts('require', null)).toEqual([{ rejectUnauthorized: false }]);
    const ca = path.join(tmp.dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const [requireWithCa] = tlsAttempts('require', ca) as [Record<string, unknown>];
    expect(requireWithCa).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    // verify-ca checks the chain, not the host name; verify-full checks both.
    const [verifyCa] = tlsAttempts('verify-ca', ca) as [{ checkServerIdentity?: () => unknown }];
    expect(verifyCa.checkServerIdentity?.()).toBeUndefined();
    expect(tlsAttempts('verify-full', ca)).toEqual([{ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') }]);
    expect(tlsAttempts('verify-full', 'system')).toEqual([{ rejectUnauthorized: true }]);
    expect(() => tlsAttempts('verify-full', path.join(tmp.dir, 'missing.pem'))).toThrow(/cannot read the CA certificate/);
  });
});
