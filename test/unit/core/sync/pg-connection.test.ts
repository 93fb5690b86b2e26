// Credentials and TLS for the sync target: no password in URLs, provider > PGPASSWORD > pgpass file, TLS modes.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTargetUrl, redactUrl, resolvePassword, tlsOptions } from '../../../../src-main/core/sync/pg-connection';
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
});

describe('password resolution', () => {
  const target = { host: 'db.lab', port: 5432, database: 'mindex', user: 'ana', sslmode: null };

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

describe('TLS options', () => {
  it('maps the modes to node tls settings and reads the CA file', () => {
    expect(tlsOptions(null, undefined)).toBe(false);
    expect(tlsOptions('disable', undefined)).toBe(false);
    expect(tlsOptions('require', undefined)).toEqual({ rejectUnauthorized: false });
    const ca = path.join(tmp.dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(tlsOptions('verify-full', ca)).toEqual({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(() => tlsOptions('verify-full', path.join(tmp.dir, 'missing.pem'))).toThrow(/missing\.pem: cannot read the CA certificate/);
  });
});
