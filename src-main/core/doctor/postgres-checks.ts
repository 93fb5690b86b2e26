// PostgreSQL: the library's sync target (if one is set) and, in a checkout, the server the tests use.
import pg from 'pg';
import type { DoctorCheck } from '../../../src-shared/api/doctor';
import { ConnectError, connectTarget, redactUrl } from '../sync/pg-connection';
import { check, type DoctorContext } from './doctor-context';

/** The tests' default (test/fixtures/pg-database.ts reads it from here). */
export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function serverVersion(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  return rows[0]?.server_version ?? 'unknown';
}

/** The configured or last used sync target: connected with the password sync would use. */
async function syncTargetCheck(ctx: DoctorContext, url: string | undefined): Promise<DoctorCheck> {
  if (!url) return check('postgresql', 'sync target', 'skipped', 'none set (sporeprint sync --pg URL, or SPOREPRINT_PG_URL)');
  const shown = redactUrl(url);
  let client: pg.Client;
  try {
    client = await connectTarget({ url, env: ctx.env, password: ctx.password, applicationName: 'sporeprint-doctor' });
  } catch (err) {
    if (err instanceof ConnectError && err.retryable) {
      return check(
        'postgresql',
        `sync target ${shown}`,
        'error',
        `unreachable: ${err.reason}`,
        'start the server, or fix the URL (sporeprint sync --pg URL)',
      );
    }
    const reason = err instanceof Error ? err.message : String(err);
    return check(
      'postgresql',
      `sync target ${shown}`,
      'warn',
      `reachable, but the connection was refused: ${reason}`,
      'set the password (PGPASSWORD, ~/.pgpass, or the Sync view in the app) or fix the URL',
    );
  }
  try {
    return check('postgresql', `sync target ${shown}`, 'ok', `PostgreSQL ${await serverVersion(client)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The throw-away databases of the sync tests are created on this server. */
async function testServerCheck(ctx: DoctorContext): Promise<DoctorCheck> {
  const url = ctx.env.SPOREPRINT_TEST_PG_URL ?? DEFAULT_TEST_PG_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: ctx.timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return check('postgresql', `tests' server ${redactUrl(url)}`, 'ok', `PostgreSQL ${await serverVersion(client)}`);
  } catch (err) {
    return check(
      'postgresql',
      `tests' server ${redactUrl(url)}`,
      'warn',
      `not reachable (${(err as Error).message}): the sync tests skip`,
      'apt-get install postgresql (trust auth for 127.0.0.1) or set SPOREPRINT_TEST_PG_URL',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function postgresChecks(ctx: DoctorContext, syncUrl: string | undefined): Promise<DoctorCheck[]> {
  const checks = [await syncTargetCheck(ctx, syncUrl)];
  if (ctx.checkoutRoot) checks.push(await testServerCheck(ctx));
  return checks;
}
