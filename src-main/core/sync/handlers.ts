// sync.status and sync.start over the library: the target URL, pending changes, disputes; the sync job.
import type { SyncStatus } from '../../../src-shared/api/sync';
import type { Db } from '../catalog/database';
import { parseCount } from '../catalog/parse-rows';
import { SporeprintError } from '../errors';
import type { Handlers } from '../handler-types';
import type { LibraryContext } from '../library-context';
import { countPending } from './local-changes';
import { listConflicts, listDecisions, listResolutions } from './sync-report';
import { connectTarget, parseTargetUrl, redactUrl, type PasswordProvider } from './pg-connection';
import { pullConflicts, pullResolutions } from './pull-conflicts';
import { resolveClaimOnServer } from './resolve-claim';
import { clientId } from './sync-state';
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
    resolutions: listResolutions(db),
    decisions: listDecisions(db, 20),
  };
}

export const syncHandlers: Handlers<'sync.status' | 'sync.start' | 'sync.resolve'> = {
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
  'sync.resolve': async (ctx, input) => {
    const url = input.url ?? ctx.config.SPOREPRINT_PG_URL ?? readSyncState(ctx.db, 'url');
    if (!url) throw new SporeprintError('INVALID_INPUT', 'no sync target: pass a postgres:// URL or set SPOREPRINT_PG_URL');
    const image = (
      typeof input.image === 'number'
        ? ctx.db.prepare(`SELECT id, sha256 FROM image WHERE id = ?`).get(input.image)
        : ctx.db.prepare(`SELECT id, sha256 FROM image WHERE sha256 = ?`).get(input.image)
    ) as { id: number; sha256: string } | undefined;
    if (!image) throw new SporeprintError('NOT_FOUND', `no image ${input.image} in this library`);
    const provider = credentials(ctx).provider;
    const client = await connectTarget({
      url,
      env: process.env,
      ...(ctx.config.SPOREPRINT_PG_SSL ? { ssl: ctx.config.SPOREPRINT_PG_SSL } : {}),
      ...(ctx.config.SPOREPRINT_PG_SSL_CA ? { sslCaFile: ctx.config.SPOREPRINT_PG_SSL_CA } : {}),
      ...(provider ? { password: provider } : {}),
    });
    try {
      const resolved = await resolveClaimOnServer(client, {
        sha256: image.sha256,
        field: input.field,
        ...(input.take !== undefined ? { take: input.take } : {}),
        ...(input.value !== undefined ? { value: input.value } : {}),
        clientId: clientId(ctx.db),
        curator: ctx.config.SPOREPRINT_CURATOR ?? null,
      });
      // The local lists follow at once, so sync --status and the Sync view show the choice without another sync.
      await pullConflicts(client, ctx.db);
      await pullResolutions(client, ctx.db);
      return { imageId: image.id, ...resolved };
    } finally {
      await client.end().catch(() => undefined);
    }
  },
};
