// Connects to the sync target: a password-free URL, the password from a provider / PGPASSWORD / ~/.pgpass, TLS options.
import pg from 'pg';
import { SporeprintError } from '../errors';
import { lookupPgpass } from './pgpass';
import { parseSslMode, sslModeFromLegacyFlag, tlsAttempts, type SslMode, type TlsAttempt } from './ssl-mode';

export type { SslMode } from './ssl-mode';

/** Supplies a password from outside the library (the app's OS keychain); undefined falls through to PGPASSWORD. */
export type PasswordProvider = (target: {
  host: string;
  port: number;
  database: string;
  user: string;
}) => string | undefined | Promise<string | undefined>;

export interface ConnectOptions {
  url: string;
  env: NodeJS.ProcessEnv;
  /** The library's SPOREPRINT_PG_SSL: used when the URL names no sslmode. */
  ssl?: SslMode;
  /** The library's SPOREPRINT_PG_SSL_CA: used when the URL names no sslrootcert. */
  sslCaFile?: string;
  password?: PasswordProvider;
  applicationName?: string;
}

export interface ParsedTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode | null;
  sslrootcert: string | null;
}

// Query parameters a sync URL may carry; anything else (a typo of sslmode, a password) is refused, not ignored.
const URL_PARAMETERS = new Set(['sslmode', 'sslrootcert', 'ssl', 'application_name']);

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
  const passwordParameter = [...parsed.searchParams.keys()].some((k) => k.toLowerCase() === 'password');
  if (parsed.password !== '' || passwordParameter) {
    throw new SporeprintError(
      'INVALID_INPUT',
      'the sync URL carries a password; remove it and use PGPASSWORD, ~/.pgpass or the app keychain instead',
    );
  }
  const unknown = [...parsed.searchParams.keys()].filter((k) => !URL_PARAMETERS.has(k));
  if (unknown.length > 0) {
    throw new SporeprintError(
      'INVALID_INPUT',
      `the sync URL has parameters Sporeprint does not use (${unknown.join(', ')}); allowed: ${[...URL_PARAMETERS].join(', ')}`,
    );
  }
  const sslParam = parsed.searchParams.get('sslmode');
  let sslmode = sslParam === null ? null : parseSslMode(sslParam, 'the sync URL');
  const legacy = parsed.searchParams.get('ssl');
  if (legacy !== null) sslmode = sslModeFromLegacyFlag(legacy, sslmode);
  return {
    host: decodeURIComponent(parsed.hostname) || env.PGHOST || 'localhost',
    port: parsed.port ? Number(parsed.port) : Number(env.PGPORT ?? 5432),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || env.PGDATABASE || 'postgres',
    user: decodeURIComponent(parsed.username) || env.PGUSER || userName(env),
    sslmode,
    sslrootcert: parsed.searchParams.get('sslrootcert'),
  };
}

/** The URL with any password removed, safe to show or store. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    for (const k of [...u.searchParams.keys()]) if (k.toLowerCase() === 'password') u.searchParams.set(k, 'redacted');
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1@').replace(/([?&]password=)[^&]*/gi, '$1redacted');
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

/** The sslmode in force: the URL's, else the library's setting, else PGSSLMODE, else libpq's default (prefer). */
export function effectiveSslMode(target: ParsedTarget, options: Pick<ConnectOptions, 'ssl' | 'env'>): SslMode {
  if (target.sslmode) return target.sslmode;
  if (options.ssl) return options.ssl;
  const fromEnv = options.env.PGSSLMODE;
  return fromEnv ? parseSslMode(fromEnv, 'PGSSLMODE') : 'prefer';
}

/** The message a curator sees when the server asks for a password and none is configured anywhere. */
export function noPasswordMessage(target: ParsedTarget): string {
  return `no password for ${target.user}@${target.host}: set it in the app, PGPASSWORD or ~/.pgpass`;
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

/** Opens one connection, trying TLS settings in libpq's order for the sslmode; errors name the target (never a password). */
export async function connectTarget(options: ConnectOptions): Promise<pg.Client> {
  const target = parseTargetUrl(options.url, options.env);
  const mode = effectiveSslMode(target, options);
  const rootCert = target.sslrootcert ?? options.sslCaFile ?? options.env.PGSSLROOTCERT ?? null;
  const attempts = tlsAttempts(mode, rootCert);
  for (let i = 0; ; i++) {
    try {
      return await connectOnce(target, options, attempts[i]!);
    } catch (err) {
      const next = attempts[i + 1];
      // prefer: a server without TLS gets plain text; allow: a server that insists on TLS gets it.
      const fallBack =
        next !== undefined && (next === false ? /does not support SSL/i.test(String(err)) : /no encryption|SSL/i.test(String(err)));
      if (!fallBack) throw err;
    }
  }
}

async function connectOnce(target: ParsedTarget, options: ConnectOptions, ssl: TlsAttempt): Promise<pg.Client> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: async () => {
      const password = await resolvePassword(target, options.env, options.password);
      // Without this, the server's request surfaces as the SASL library's "client password must be a string".
      if (password === undefined) throw new ConnectError(noPasswordMessage(target), false);
      return password;
    },
    ssl,
    application_name: options.applicationName ?? 'sporeprint-sync',
    connectionTimeoutMillis: 15_000,
  });
  // A connection dropped between queries (pg_terminate_backend while idle) surfaces on the next query instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    if (err instanceof ConnectError) throw err;
    const code = (err as { code?: unknown }).code;
    const network = typeof code === 'string' && (NETWORK_CODES.has(code) || /^(0800[0-6]|57P0[123])$/.test(code));
    throw new ConnectError(
      `cannot connect to ${target.user}@${target.host}:${target.port}/${target.database}: ${(err as Error).message}`,
      network,
    );
  }
  return client;
}

function userName(env: NodeJS.ProcessEnv): string {
  return env.USER ?? env.USERNAME ?? 'postgres';
}
