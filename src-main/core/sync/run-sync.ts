// One sync run: connect, check (or create) the schema, push pending batches, pull label states; retries dropped connections.
import type pg from 'pg';
import { SporeprintError } from '../errors';
import { sleep } from '../net/sleep';
import type { LibraryContext } from '../library-context';
import { chooseEmbeddingModel, countPending, pushCursor, readBatch, recordBatchPushed, type LocalBatch } from './local-changes';
import { ConnectError, connectTarget, parseTargetUrl, redactUrl, type PasswordProvider } from './pg-connection';
import { isRetryable } from './retryable';
import { pullConflicts, pullResolutions } from './pull-conflicts';
import { pullLabels } from './pull-labels';
import { pushBatch } from './push-batch';
import { serverIdentity } from './server-identity';
import { checkServerSchema, initServerSchema, type ServerSchemaInfo } from './server-schema';
import { clientId, switchTarget, writeSyncState } from './sync-state';

export interface SyncOptions {
  url: string;
  initSchema: boolean;
  dryRun: boolean;
  /** With initSchema: also create this least-privilege curator role, and push nothing. */
  createRole?: string;
  password?: PasswordProvider;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Test seam: runs inside each batch's transaction before COMMIT, with the batch number and the live connection. */
  beforeCommit?: (batchNumber: number, client: pg.Client) => Promise<void>;
  /** Test seam: runs inside each batch's transaction just after the server's rows are read. */
  afterRead?: (batchNumber: number, client: pg.Client) => Promise<void>;
}

export interface SyncResult {
  [key: string]: unknown;
  url: string;
  dryRun: boolean;
  /** Dry run with --init-schema on a server without the schema. */
  wouldCreateSchema: boolean;
  pending: number;
  pushed: number;
  batches: number;
  newEvents: number;
  labelsTaken: number;
  keptServer: number;
  disputes: number;
  pulled: number;
  retries: number;
  embeddingStorage: ServerSchemaInfo['embeddingStorage'];
  embeddingModel: string | null;
  /** The role --create-role made (or re-granted). */
  createdRole: string | null;
  /** Constraints a repair added that older rows break (left NOT VALID). */
  unvalidated: string[];
  /** Images whose curators claim different licence, attribution, source URL or duplicate_of values. */
  conflicts: number;
  /** Server labels not mirrored because the catalogue cannot hold them, each with its reason. */
  refusedLabels: string[];
  /** Vectors --init-schema moved from the old media.image.embedding column, and those it left there (size clash). */
  legacyVectorsMoved: number;
  legacyVectorsKept: number;
}

export async function runSync(ctx: LibraryContext, options: SyncOptions): Promise<SyncResult> {
  const { db, config } = ctx;
  const target = parseTargetUrl(options.url, process.env);
  const safeUrl = redactUrl(options.url);
  const me = clientId(db);
  const embeddingModel = chooseEmbeddingModel(db, config.SYNC_EMBEDDING_MODEL);
  const result: SyncResult = {
    url: safeUrl,
    dryRun: options.dryRun,
    wouldCreateSchema: false,
    pending: 0,
    pushed: 0,
    batches: 0,
    newEvents: 0,
    labelsTaken: 0,
    keptServer: 0,
    disputes: 0,
    pulled: 0,
    retries: 0,
    embeddingStorage: 'real[]',
    embeddingModel,
    createdRole: null,
    unvalidated: [],
    conflicts: 0,
    refusedLabels: [],
    legacyVectorsMoved: 0,
    legacyVectorsKept: 0,
  };
  let client: pg.Client | null = null;
  const connect = async (): Promise<pg.Client> => {
    if (client) return client;
    client = await connectTarget({
      url: options.url,
      env: process.env,
      ...(config.SPOREPRINT_PG_SSL ? { ssl: config.SPOREPRINT_PG_SSL } : {}),
      ...(config.SPOREPRINT_PG_SSL_CA ? { sslCaFile: config.SPOREPRINT_PG_SSL_CA } : {}),
      ...(options.password ? { password: options.password } : {}),
    });
    return client;
  };
  const dropConnection = async () => {
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
  // Every server step goes through here: a dropped connection is reopened after a growing pause, then retried.
  const withRetry = async <T>(step: (c: pg.Client) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      try {
        return await step(await connect());
      } catch (err) {
        if (!isRetryable(err) || attempt >= config.SYNC_MAX_RETRIES) {
          await dropConnection();
          throw asSyncError(err, safeUrl, attempt);
        }
        result.retries++;
        await dropConnection();
        await sleep(config.SYNC_BACKOFF_MS * 2 ** attempt, options.signal);
      }
    }
  };

  try {
    if (options.dryRun) {
      // Nothing is written, not even the schema: report what a real run would do.
      try {
        result.embeddingStorage = (await withRetry(checkServerSchema)).embeddingStorage;
      } catch (err) {
        if (!(options.initSchema && err instanceof SporeprintError && err.code === 'SCHEMA_MISSING')) throw err;
        result.wouldCreateSchema = true;
      }
      result.pending = countPending(db);
      return result;
    }
    const createRole = options.createRole;
    if (createRole && !options.initSchema) throw new SporeprintError('INVALID_INPUT', '--create-role needs --init-schema');
    const schema = await withRetry((c) =>
      options.initSchema
        ? initServerSchema(c, { embeddingStorage: config.SYNC_EMBEDDING_STORAGE, ...(createRole ? { createRole } : {}) })
        : checkServerSchema(c),
    );
    result.embeddingStorage = schema.embeddingStorage;
    result.unvalidated = schema.unvalidated;
    result.legacyVectorsMoved = schema.legacyVectors?.moved ?? 0;
    result.legacyVectorsKept = schema.legacyVectors?.kept ?? 0;
    if (createRole) {
      // A DBA's run: the schema and the role, not this library's images.
      result.createdRole = createRole;
      return result;
    }
    const identity = await withRetry(serverIdentity);
    switchTarget(db, identity, `${target.host}:${target.port}/${target.database}`);
    writeSyncState(db, 'url', safeUrl);
    result.pending = countPending(db);
    options.onProgress?.(0, result.pending);
    let batch = readBatch(db, pushCursor(db), config.SYNC_BATCH_SIZE, embeddingModel);
    // Server labels (by label_seq) this push left as they were and found the catalogue holding: the pull below skips
    // them rather than look each up again (a second curator's first push meets every label the first one wrote). The
    // latest batch's verdict on a label stands: an image edited during the push comes round again in a later batch.
    const inStep = new Set<number>();
    // Recording a committed batch (mirror labels, move the cursor) waits until the next batch is on the wire, so
    // the catalogue work overlaps the server's; it runs at the latest when the loop ends, however it ends.
    let recordPrevious: (() => void) | null = null;
    const flushRecord = () => {
      const record = recordPrevious;
      recordPrevious = null;
      record?.();
    };
    try {
      while (batch.images.length > 0) {
        options.signal?.throwIfAborted();
        const current = batch;
        const batchNumber = result.batches + 1;
        // The next batch holds other images (each image has one change number), so it can be read before this
        // one is recorded; a curator's edit meanwhile gets a newer number and comes round again.
        let next: LocalBatch | undefined;
        const outcome = await withRetry((c) =>
          pushBatch(c, current, {
            clientId: me,
            curator: config.SPOREPRINT_CURATOR ?? null,
            embeddingStorage: schema.embeddingStorage,
            whileWriting: () => {
              flushRecord();
              next ??= readBatch(db, current.maxSeq, config.SYNC_BATCH_SIZE, embeddingModel);
            },
            ...(options.beforeCommit ? { beforeCommit: () => options.beforeCommit!(batchNumber, c) } : {}),
            ...(options.afterRead ? { afterRead: () => options.afterRead!(batchNumber, c) } : {}),
          }),
        );
        flushRecord();
        recordPrevious = () => result.refusedLabels.push(...recordBatchPushed(db, outcome.pushed, current).refused);
        for (const p of outcome.pushed) {
          if (p.keptServerSeq === null) continue;
          if (p.serverMatchesLocal) inStep.add(p.keptServerSeq);
          else inStep.delete(p.keptServerSeq);
        }
        result.batches = batchNumber;
        result.pushed += outcome.images;
        result.newEvents += outcome.newEvents;
        result.labelsTaken += outcome.labelsTaken;
        result.keptServer += outcome.keptServer;
        result.disputes += outcome.disputes;
        options.onProgress?.(result.pushed, Math.max(result.pending, result.pushed));
        batch = next ?? readBatch(db, current.maxSeq, config.SYNC_BATCH_SIZE, embeddingModel);
      }
    } finally {
      flushRecord();
    }
    const pulled = await withRetry((c) => pullLabels(c, db, me, config.SYNC_BATCH_SIZE, options.signal, inStep));
    result.pulled = pulled.changed;
    result.refusedLabels.push(...pulled.refused);
    result.conflicts = await withRetry((c) => pullConflicts(c, db));
    await withRetry((c) => pullResolutions(c, db));
    writeSyncState(db, 'last_sync_at', new Date().toISOString());
    return result;
  } finally {
    await dropConnection();
  }
}

function asSyncError(err: unknown, url: string, attempt: number): unknown {
  if (err instanceof ConnectError && attempt > 0)
    return new SporeprintError('SYNC_FAILED', `sync to ${url} failed after ${attempt + 1} attempts: ${err.reason}`);
  if (err instanceof SporeprintError) return err;
  if (err instanceof Error && err.name === 'AbortError') return new SporeprintError('CANCELLED', 'sync cancelled');
  const message = err instanceof Error ? err.message : String(err);
  const tries = attempt > 0 ? ` after ${attempt + 1} attempts` : '';
  return new SporeprintError('SYNC_FAILED', `sync to ${url} failed${tries}: ${message}`);
}
