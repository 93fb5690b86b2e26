// sync.status and sync.start over the library: the target URL, pending changes, disputes; the sync job.
import type { SyncStatus } from '../../../src-shared/api/sync';
import type { Db } from '../catalog/database';
import { parseCount } from '../catalog/parse-rows';
import { SporeprintError } from '../errors';
import type { Handlers } from '../handler-types';
import type { LibraryContext } from '../library-context';
import { countPending } from './local-changes';
import { listConflicts, listDecisions } from './sync-report';
import { parseTargetUrl, redactUrl, type PasswordProvider } from './pg-connection';
import { runSync } from './run-sync';
import { readSyncState } from './sync-state';

interface Credentials {
  provider: PasswordProvider | undefined;
}

function credentials(ctx: LibraryContext): Credentials {
  return ctx.service<Credentials>('sync.credentials', () => ({ provider: undefined }));
}

/** The app injects its keychain lookup here (Electron safeStorage); core never stores the password. */
export function setSyncPasswordProvider(ctx: LibraryContext, provider: PasswordProvider | undefined): void {
  credentials(ctx).provider = provider;
}

/** The injected keychain lookup, if any (the diagnostics connect to the sync target as sync would). */
export function syncPasswordProvider(ctx: LibraryContext): PasswordProvider | undefined {
  return credentials(ctx).provider;
}

export function syncStatus(db: Db, configuredUrl: string | undefined): SyncStatus {
  const disputes = parseCount(db.prepare(`SELECT count(*) FROM label WHERE state = 'disputed'`).pluck().get(), 'dispute count');
  const url = readSyncState(db, 'url') ?? (configuredUrl ? redactUrl(configuredUrl) : null);
  return {
    url,
    lastSyncAt: readSyncState(db, 'last_sync_at') ?? null,
    pending: countPending(db),
    disputes,
    conflicts: listConflicts(db),
    decisions: listDecisions(db, 20),
  };
}

export const syncHandlers: Handlers<'sync.status' | 'sync.start'> = {
  'sync.status': (ctx) => syncStatus(ctx.db, ctx.config.SPOREPRINT_PG_URL),
  'sync.start': (ctx, input) => {
    const url = input.url ?? ctx.config.SPOREPRINT_PG_URL ?? readSyncState(ctx.db, 'url');
    if (!url) throw new SporeprintError('INVALID_INPUT', 'no sync target: pass a postgres:// URL or set SPOREPRINT_PG_URL');
    parseTargetUrl(url, process.env); // refuses a password in the URL before anything is stored
    const running = ctx.jobs.list('sync', 20).find((j) => j.status === 'running');
    if (running) throw new SporeprintError('SYNC_FAILED', `a sync is already running (job ${running.id})`);
    if (input.createRole && !input.initSchema)
      throw new SporeprintError('INVALID_INPUT', 'createRole needs initSchema (--create-role with --init-schema)');
    const params = {
      url: redactUrl(url),
      initSchema: input.initSchema,
      dryRun: input.dryRun,
      ...(input.createRole ? { createRole: input.createRole } : {}),
    };
    const jobId = ctx.jobs.start('sync', params, async (job) => {
      const provider = credentials(ctx).provider;
      return runSync(ctx, {
        url,
        initSchema: input.initSchema,
        dryRun: input.dryRun,
        ...(input.createRole ? { createRole: input.createRole } : {}),
        signal: job.signal,
        onProgress: (done, total) => job.progress(done, total),
        ...(provider ? { password: provider } : {}),
      });
    });
    return { jobId };
  },
};
