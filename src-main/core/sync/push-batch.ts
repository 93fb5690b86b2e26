// Pushes one batch of changed images, their labels, events and embeddings in a single server transaction. Images the
// server does not hold go straight into its tables by binary COPY (new-image-rows.ts); images it holds are COPYed
// into a per-connection staging table and merged by the rules in one statement (with this client's claims on them,
// weighed against the server's rows the read kept), then their events are COPYed too.
import type { ClientBase } from 'pg';
import type { LocalBatch, PushedImage } from './local-changes';
import { SporeprintError } from '../errors';
import { copyIn } from './copy-in';
import { readServerRows } from './server-rows';
import {
  COPY_NEW_CLAIMS,
  COPY_NEW_EMBEDDINGS,
  COPY_NEW_EVENTS,
  COPY_NEW_IMAGES,
  newClaimRows,
  newEmbeddingRows,
  newEventRows,
  newImageRows,
  RESERVE_LABEL_SEQ,
  type NewImageContext,
} from './new-image-rows';
import { planImage } from './plan-image';
import {
  COPY_EMBEDDINGS,
  COPY_IMAGES,
  CREATE_STAGING,
  FILL_PENDING_DUPLICATES,
  FILL_PENDING_DUPLICATES_KEEPING_READ,
  MERGE_BATCH,
  REGISTER_MODEL,
} from './push-statements';
import type { EmbeddingStorage } from './server-schema';
import { stageEmbeddings, stageImages, vectorSize, type OutgoingEvent, type PlannedImage } from './stage-rows';

export interface PushContext {
  clientId: string;
  /** Signs human decisions whose label carries no author. */
  curator: string | null;
  embeddingStorage: EmbeddingStorage;
  /** Synchronous work to overlap with the server's writes (reading the next batch). */
  whileWriting?: () => void;
  /** Called inside the open transaction, just before COMMIT (tests drop the connection here). */
  beforeCommit?: () => Promise<void>;
  /** Called inside the open transaction just after the server's rows are read (tests write to the server here). */
  afterRead?: () => Promise<void>;
}

export interface BatchOutcome {
  pushed: PushedImage[];
  images: number;
  newEvents: number;
  labelsTaken: number;
  keptServer: number;
  disputes: number;
}

// One global lock per push transaction: label resolution reads then writes, and two clients resolving the same
// image at once must see each other's result; it also keeps an image this push found absent absent until COMMIT.
// Batches are short, so serialising them costs little.
const PUSH_LOCK_KEY = `hashtext('sporeprint.push')`;
export const PUSH_LOCK = `SELECT pg_advisory_xact_lock(${PUSH_LOCK_KEY})`;
// A batch takes the same lock for its session before its transaction starts, and runs at REPEATABLE READ: the merge
// decides on the rows the read copied, so a write by anyone else (a DBA's SQL) landing in between must make the batch
// fail (40001, retried from a fresh read) rather than be written over. Taken inside the transaction, the lock would
// come after the snapshot, which would then miss the push it waited for.
const TAKE_PUSH_LOCK = `SELECT pg_advisory_lock(${PUSH_LOCK_KEY})`;
const RELEASE_PUSH_LOCK = `SELECT pg_advisory_unlock(${PUSH_LOCK_KEY})`;

// The merge's plan is costed far above jit_above_cost (its correlated subqueries), and compiling it took ~9 s of a
// 10 s batch (auto_explain, 20k rows on the server); a few thousand rows gain nothing from JIT. Every read of a push
// is one key per row: a bitmap scan (chosen from the row estimates of tables COPY has just filled, before any
// ANALYZE) cost the others' claims ~1.3x a plain index scan (backend CPU, 5,000 staged rows, 100k images).
const PUSH_SETTINGS = `SELECT set_config('jit', 'off', true), set_config('enable_bitmapscan', 'off', true)`;

/** Runs one batch in one transaction; any error rolls it back whole and the caller retries it. */
export async function pushBatch(client: ClientBase, batch: LocalBatch, ctx: PushContext): Promise<BatchOutcome> {
  await client.query(TAKE_PUSH_LOCK);
  try {
    return await pushLockedBatch(client, batch, ctx);
  } finally {
    // A dropped connection has released it already.
    await client.query(RELEASE_PUSH_LOCK).catch(() => undefined);
  }
}

async function pushLockedBatch(client: ClientBase, batch: LocalBatch, ctx: PushContext): Promise<BatchOutcome> {
  const shas = batch.images.map((i) => i.sha256);
  const representatives = [...new Set(batch.images.flatMap((i) => (i.duplicate_of ? [i.duplicate_of] : [])))];
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  try {
    await client.query(PUSH_SETTINGS);
    // The read keeps the server's rows in a staging table the merge joins.
    await ensureStaging(client);
    const server = await readServerRows(client, [...new Set(shas.concat(representatives))].sort(), ctx.clientId);
    await ctx.afterRead?.();
    const eventIds = batch.images.flatMap((i) => (server.has(i.sha256) ? (batch.events.get(i.id) ?? []).map((e) => e.id) : []));
    // Only an image the server holds can have events there (label_event references media.image).
    const knownIds = new Set<number>();
    if (eventIds.length > 0) {
      const known = await client.query<{ client_event_id: string }>(
        `SELECT client_event_id FROM media.label_event WHERE client_id = $1 AND client_event_id = ANY($2::bigint[])`,
        [ctx.clientId, eventIds],
      );
      for (const r of known.rows) knownIds.add(Number(r.client_event_id));
    }

    const planned: PlannedImage[] = batch.images.map((image) => {
      const row = server.get(image.sha256) ?? null;
      return {
        image,
        plan: planImage(image, row, batch.events.get(image.id) ?? [], knownIds, ctx),
        known: row !== null,
        serverHasPaths: row?.has_paths ?? false,
      };
    });
    const clientEvents = (rows: PlannedImage[]): OutgoingEvent[] =>
      rows.flatMap(({ image }) =>
        (batch.events.get(image.id) ?? []).filter((e) => !knownIds.has(e.id)).map((e) => ({ sha: image.sha256, e, fromClient: true })),
      );
    const fresh = planned.filter((p) => !p.known);
    const known = planned.filter((p) => p.known);
    const disputeEvents: OutgoingEvent[] = known.flatMap(({ image, plan }) =>
      plan.disputeEvent ? [{ sha: image.sha256, e: plan.disputeEvent, fromClient: false }] : [],
    );
    const knownEvents = clientEvents(known).concat(disputeEvents);
    const freshEvents = clientEvents(fresh);

    const model = batch.embeddingModel;
    const dim = model ? vectorSize(model, batch.embeddings) : null;
    if (model && dim !== null) await registerModel(client, model, dim);

    // One statement at a time (pg deprecates queueing on a client). The catalogue read the caller overlaps with the
    // server (ctx.whileWriting) runs once the largest payload is on the wire, while the server still works on it.
    let overlap = ctx.whileWriting;
    let overlapError: unknown = null;
    // It may run from a socket event: its error is kept and thrown here, never into pg's message handling.
    const whileServerWorks = () => {
      const run = overlap;
      overlap = undefined;
      try {
        run?.();
      } catch (err) {
        overlapError = err;
      }
    };
    if (fresh.length > 0) {
      const labelled = fresh.filter((p) => p.plan.labelChanged).length;
      const seqs = labelled > 0 ? (await client.query<{ seq: string }>(RESERVE_LABEL_SEQ, [labelled])).rows.map((r) => Number(r.seq)) : [];
      const present = new Set([...server.keys(), ...shas]);
      const nctx: NewImageContext = { clientId: ctx.clientId, curator: ctx.curator, present, labelSeqs: seqs };
      const vectors =
        model && dim !== null
          ? newEmbeddingRows(
              fresh.map((p) => p.image),
              batch.embeddings,
              model,
              ctx.embeddingStorage,
              ctx.clientId,
            )
          : null;
      await copyIn(client, COPY_NEW_IMAGES, newImageRows(fresh, nctx), vectors ? undefined : whileServerWorks);
      const claims = newClaimRows(fresh, nctx);
      if (claims) await copyIn(client, COPY_NEW_CLAIMS, claims);
      const events = newEventRows(freshEvents, nctx);
      if (events) await copyIn(client, COPY_NEW_EVENTS, events);
      if (vectors) await copyIn(client, COPY_NEW_EMBEDDINGS, vectors, whileServerWorks);
      // New images may be the representatives that earlier claims were waiting for.
      const newShas = fresh.map((p) => p.image.sha256);
      if (known.length > 0) await client.query(FILL_PENDING_DUPLICATES_KEEPING_READ, [newShas, ctx.clientId]);
      else await client.query(FILL_PENDING_DUPLICATES, [newShas]);
    }
    if (known.length > 0) {
      await copyIn(client, COPY_IMAGES, stageImages(known));
      const vectors =
        model && dim !== null
          ? stageEmbeddings(
              known.map((p) => p.image),
              batch.embeddings,
            )
          : null;
      if (vectors) await copyIn(client, COPY_EMBEDDINGS, vectors);
      // After the new images' COPY, so a known image may name one of them as its representative.
      const merge = client.query(MERGE_BATCH(ctx.embeddingStorage === 'vector' ? '::vector' : ''), [ctx.clientId, ctx.curator, model, dim]);
      // Marked handled: should building the payloads below throw, the merge's own error must not go unhandled
      // (`await merge` still throws it).
      merge.catch(() => undefined);
      whileServerWorks();
      // Built while the merge runs. Events need no rule: this client's were filtered against the
      // server's (knownIds) under the push lock, and disputes carry no client id.
      const events = newEventRows(knownEvents, ctx);
      await merge;
      if (events) await copyIn(client, COPY_NEW_EVENTS, events);
    }
    whileServerWorks();
    if (overlapError !== null) throw overlapError;

    await ctx.beforeCommit?.();
    await client.query('COMMIT');
    return {
      pushed: planned.map(({ image, plan: p }) => ({
        imageId: image.id,
        pushedEventId: Math.max(image.pushed_event_id, ...(batch.events.get(image.id) ?? []).map((e) => e.id)),
        server: { taxon: p.taxon, rank: p.rank, state: p.state, author: p.author, client: p.labelClient, rev: p.rev },
        serverMatchesLocal: p.taxon === image.taxon && p.rank === image.rank && p.state === image.state,
        keptServerSeq: p.labelChanged ? null : (server.get(image.sha256)?.label_seq ?? null),
      })),
      images: batch.images.length,
      newEvents: freshEvents.length + knownEvents.length - disputeEvents.length,
      labelsTaken: planned.filter((p) => p.plan.resolution.outcome === 'take').length,
      keptServer: planned.filter(
        ({ plan: { resolution: r } }) => r.outcome === 'keep' && r.reason !== 'no-client-label' && r.reason !== 'same',
      ).length,
      disputes: disputeEvents.length,
    };
  } catch (err) {
    // A staging table created in this transaction is gone with it.
    staged.delete(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// Staging tables live as long as the connection; a reconnect (after a drop) creates them again.
const staged = new WeakSet<ClientBase>();
async function ensureStaging(client: ClientBase): Promise<void> {
  if (staged.has(client)) return;
  await client.query(CREATE_STAGING);
  staged.add(client);
}

const checkedModels = new WeakMap<ClientBase, Map<string, number>>();
/** A model's vectors have one size on the server: the first push registers it, a different size is refused. */
async function registerModel(client: ClientBase, model: string, dim: number): Promise<void> {
  const known = checkedModels.get(client) ?? new Map<string, number>();
  checkedModels.set(client, known);
  if (known.get(model) === dim) return;
  const res = await client.query<{ dim: number }>(REGISTER_MODEL, [model, dim]);
  const serverDim = res.rows[0]?.dim;
  if (serverDim !== dim) {
    throw new SporeprintError(
      'SYNC_FAILED',
      `the server holds ${serverDim}-d vectors for model ${model}; this library's are ${dim}-d (set SYNC_EMBEDDING_MODEL or re-embed)`,
    );
  }
  known.set(model, dim);
}
