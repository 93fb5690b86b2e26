// Connects to the sync target: a password-free URL, the password from a provider / PGPASSWORD / ~/.pgpass, TLS options.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { SporeprintError } from '../errors';
import { lookupPgpass } from './pgpass';

/** Supplies a password from outside the library (the app's OS keychain); undefined falls through to PGPASSWORD. */
export type PasswordProvider = (target: {
  host: string;
  port: number;
  database: string;
  user: string;
}) => string | undefined | Promise<string | undefined>;

export type SslMode = 'disable' | 'require' | 'verify-full';

export interface ConnectOptions {
  url: string;
  env: NodeJS.ProcessEnv;
  ssl?: SslMode;
  sslCaFile?: string;
  password?: PasswordProvider;
  applicationName?: string;
}

export interface ParsedTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: string | null;
}

/** Parses a postgres:// URL and refuses one that carries a password: it would end up in plain text in the library. */
export function parseTargetUrl(url: string, env: NodeJS.ProcessEnv): ParsedTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SporeprintError('INVALID_INPUT', `not a PostgreSQL URL: ${redactUrl(url)}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new SporeprintError('INVALID_INPUT', `not a PostgreSQL URL (expected postgres://): ${redactUrl(url)}`);
  }
  if (parsed.password !== '') {
    throw new SporeprintError(
      'INVALID_INPUT',
      'the sync URL carries a password; remove it and use PGPASSWORD, ~/.pgpass or the app keychain instead',
    );
  }
  return {
    host: decodeURIComponent(parsed.hostname) || env.PGHOST || 'localhost',
    port: parsed.port ? Number(parsed.port) : Number(env.PGPORT ?? 5432),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || env.PGDATABASE || 'postgres',
    user: decodeURIComponent(parsed.username) || env.PGUSER || userName(env),
    sslmode: parsed.searchParams.get('sslmode'),
  };
}

/** The URL with any password removed, safe to show or store. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1@');
  }
}

/** Resolution order: the injected provider (keychain), PGPASSWORD, then the pgpass file (PGPASSFILE or ~/.pgpass). */
export async function resolvePassword(
  target: ParsedTarget,
  env: NodeJS.ProcessEnv,
  provider?: PasswordProvider,
): Promise<string | undefined> {
  const fromProvider = provider
    ? await provider({ host: target.host, port: target.port, database: target.database, user: target.user })
    : undefined;
  if (fromProvider !== undefined) return fromProvider;
  if (env.PGPASSWORD !== undefined && env.PGPASSWORD !== '') return env.PGPASSWORD;
  return lookupPgpass(target, env);
}

export function tlsOptions(mode: SslMode | null, caFile: string | undefined): false | ConnectionOptions {
  if (mode === null || mode === 'disable') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  const ca = caFile ? readCa(caFile) : undefined;
  return { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** A failed connect; `retryable` when the network or a restarting server is to blame, not credentials or TLS. */
export class ConnectError extends SporeprintError {
  constructor(
    reason: string,
    readonly retryable: boolean,
  ) {
    super('SYNC_FAILED', reason);
  }
}

/** Opens one connection; errors name the target (never a password). */
export async function connectTarget(options: ConnectOptions): Promise<pg.Client> {
  const target = parseTargetUrl(options.url, options.env);
  const urlMode = target.sslmode === 'require' || target.sslmode === 'verify-full' || target.sslmode === 'disable' ? target.sslmode : null;
  if (target.sslmode === 'verify-ca') throw new SporeprintError('INVALID_INPUT', 'sslmode=verify-ca is not supported; use verify-full');
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: () => resolvePassword(target, options.env, options.password).then((p) => p ?? ''),
    ssl: tlsOptions(options.ssl ?? urlMode, options.sslCaFile),
    application_name: options.applicationName ?? 'sporeprint-sync',
    connectionTimeoutMillis: 15_000,
  });
  // A connection dropped between queries (pg_terminate_backend while idle) surfaces on the next query instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    const code = (err as { code?: unknown }).code;
    const network = typeof code === 'string' && (NETWORK_CODES.has(code) || /^(0800[0-6]|57P0[123])$/.test(code));
    throw new ConnectError(
      `cannot connect to ${target.user}@${target.host}:${target.port}/${target.database}: ${(err as Error).message}`,
      network,
    );
  }
  return client;
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SporeprintError('INVALID_INPUT', `cannot read the CA certificate (${(err as Error).message})`, file);
  }
}

function userName(env: NodeJS.ProcessEnv): string {
  return env.USER ?? env.USERNAME ?? 'postgres';
}
