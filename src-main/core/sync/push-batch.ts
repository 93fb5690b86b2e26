// Pushes one batch of changed images, their labels, events and embeddings in a single server transaction:
// COPY into per-connection staging tables, then one statement merges them by the rules.
import type { ClientBase } from 'pg';
import type { LabelState } from '../../../src-shared/model';
import type { LocalBatch, LocalEventRow, LocalImageRow, PushedImage } from './local-changes';
import { resolveLabel, type Resolution, type ServerLabel } from './resolve-label';
import { derivativeRelativePath } from '../library-paths';
import { SporeprintError } from '../errors';
import { BinaryCopyWriter } from './copy-binary';
import { copyIn } from './copy-in';
import {
  COPY_EMBEDDINGS,
  COPY_EVENTS,
  COPY_IMAGES,
  CREATE_STAGING,
  FILL_PENDING_DUPLICATES,
  MERGE_BATCH,
  REGISTER_MODEL,
  STAGE_EVENT_FIELDS,
  STAGE_IMAGE_FIELDS,
} from './push-statements';
import type { EmbeddingStorage } from './server-schema';

export interface PushContext {
  clientId: string;
  /** Signs human decisions whose label carries no author. */
  curator: string | null;
  embeddingStorage: EmbeddingStorage;
  /** Synchronous work to overlap with the server's writes (reading the next batch). */
  whileWriting?: () => void;
  /** Called inside the open transaction, just before COMMIT (tests drop the connection here). */
  beforeCommit?: () => Promise<void>;
}

export interface BatchOutcome {
  pushed: PushedImage[];
  images: number;
  newEvents: number;
  labelsTaken: number;
  keptServer: number;
  disputes: number;
}

interface ServerRow {
  sha256: string;
  taxon: string | null;
  rank: string | null;
  label_state: LabelState | null;
  label_author: string | null;
  label_client: string | null;
  label_rev: number;
}

// One global lock per push transaction: label resolution reads then writes, and two clients resolving the same
// image at once must see each other's result. Batches are short, so serialising them costs little.
const PUSH_LOCK = `SELECT pg_advisory_xact_lock(hashtext('sporeprint.push'))`;

/** Runs one batch in one transaction; any error rolls it back whole and the caller retries it. */
export async function pushBatch(client: ClientBase, batch: LocalBatch, ctx: PushContext): Promise<BatchOutcome> {
  const shas = batch.images.map((i) => i.sha256);
  const eventIds = [...batch.events.values()].flat().map((e) => e.id);
  await client.query('BEGIN');
  try {
    await client.query(PUSH_LOCK);
    const serverRows = await client.query<ServerRow>(
      `SELECT sha256, taxon, rank, label_state, label_author, label_client, label_rev FROM media.image WHERE sha256 = ANY($1::text[])`,
      [shas],
    );
    const server = new Map(serverRows.rows.map((r) => [r.sha256, r]));
    const known = await client.query<{ client_event_id: string }>(
      `SELECT client_event_id FROM media.label_event WHERE client_id = $1 AND client_event_id = ANY($2::bigint[])`,
      [ctx.clientId, eventIds],
    );
    const knownIds = new Set(known.rows.map((r) => Number(r.client_event_id)));

    const plan = batch.images.map((image) =>
      planImage(image, server.get(image.sha256) ?? null, batch.events.get(image.id) ?? [], knownIds, ctx),
    );
    const newEvents = batch.images.flatMap((image) =>
      (batch.events.get(image.id) ?? []).filter((e) => !knownIds.has(e.id)).map((e) => ({ sha: image.sha256, e, fromClient: true })),
    );
    const disputeEvents = plan.flatMap((p, i) =>
      p.disputeEvent ? [{ sha: batch.images[i]!.sha256, e: p.disputeEvent, fromClient: false }] : [],
    );
    await ensureStaging(client);
    await copyIn(client, COPY_IMAGES, stageImages(batch, plan, server));
    if (newEvents.length + disputeEvents.length > 0) {
      await copyIn(client, COPY_EVENTS, stageEvents([...newEvents, ...disputeEvents], ctx.curator));
    }
    const vectors = stageEmbeddings(batch);
    if (vectors) {
      await registerModel(client, batch.embeddingModel!, vectors.dim);
      await copyIn(client, COPY_EMBEDDINGS, vectors.payload);
    }
    // The merge is the server's longest step: read the caller's next batch from the catalogue meanwhile.
    const merge = client.query(MERGE_BATCH(ctx.embeddingStorage === 'vector' ? '::vector' : ''), [
      ctx.clientId,
      ctx.curator,
      batch.embeddingModel,
      vectors?.dim ?? null,
    ]);
    ctx.whileWriting?.();
    await merge;
    await client.query(FILL_PENDING_DUPLICATES);

    await ctx.beforeCommit?.();
    await client.query('COMMIT');
    return {
      pushed: batch.images.map((image, i) => {
        const p = plan[i]!;
        return {
          imageId: image.id,
          pushedEventId: Math.max(image.pushed_event_id, ...(batch.events.get(image.id) ?? []).map((e) => e.id)),
          server: { taxon: p.taxon, rank: p.rank, state: p.state, author: p.author, client: p.labelClient, rev: p.rev },
          serverMatchesLocal: p.taxon === image.taxon && p.rank === image.rank && p.state === image.state,
        };
      }),
      images: batch.images.length,
      newEvents: newEvents.length,
      labelsTaken: plan.filter((p) => p.resolution.outcome === 'take').length,
      keptServer: plan.filter(
        (p) => p.resolution.outcome === 'keep' && p.resolution.reason !== 'no-client-label' && p.resolution.reason !== 'same',
      ).length,
      disputes: disputeEvents.length,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

interface ImagePlan {
  resolution: Resolution;
  labelChanged: boolean;
  taxon: string | null;
  rank: string | null;
  state: LabelState | null;
  author: string | null;
  labelClient: string | null;
  rev: number;
  disputeEvent: LocalEventRow | null;
}

function planImage(
  image: LocalImageRow,
  server: ServerRow | null,
  events: LocalEventRow[],
  knownIds: Set<number>,
  ctx: PushContext,
): ImagePlan {
  const serverLabel: ServerLabel | null = server
    ? {
        taxon: server.taxon,
        rank: server.rank,
        state: server.label_state,
        author: server.label_author,
        client: server.label_client,
        rev: server.label_rev,
      }
    : null;
  const author = image.author ?? (image.state === 'human_verified' || image.state === 'disputed' ? ctx.curator : null);
  const newEvents = events.filter((e) => !knownIds.has(e.id));
  const resolution = resolveLabel(
    serverLabel,
    (image.state && image.taxon && image.rank) || newEvents.length > 0
      ? {
          taxon: image.taxon,
          rank: image.rank,
          state: image.state,
          author,
          clientId: ctx.clientId,
          baseRev: image.server_rev,
          hasNewEvents: newEvents.length > 0,
          undo: newEvents.at(-1)?.action === 'undo',
        }
      : null,
  );
  const rev = server?.label_rev ?? 0;
  const unchanged: ImagePlan = {
    resolution,
    labelChanged: false,
    taxon: server?.taxon ?? null,
    rank: server?.rank ?? null,
    state: server?.label_state ?? null,
    author: server?.label_author ?? null,
    labelClient: server?.label_client ?? null,
    rev,
    disputeEvent: null,
  };
  if (resolution.outcome === 'keep') return unchanged;
  if (resolution.outcome === 'take') {
    return {
      resolution,
      labelChanged: true,
      taxon: image.taxon,
      rank: image.rank,
      state: image.state,
      author,
      labelClient: ctx.clientId,
      rev: rev + 1,
      disputeEvent: null,
    };
  }
  // The displayed taxon stays the first decision's; both decisions live in label_event.
  return {
    ...unchanged,
    labelChanged: true,
    state: 'disputed',
    // The dispute is this client's write: every other client pulls it, this one mirrors it right after COMMIT.
    labelClient: ctx.clientId,
    rev: rev + 1,
    disputeEvent: {
      id: 0,
      image_id: image.id,
      at: new Date().toISOString(),
      author,
      action: 'dispute',
      from_state: server?.label_state ?? null,
      to_state: 'disputed',
      from_taxon: server?.taxon ?? null,
      to_taxon: image.taxon,
      rank: image.rank,
      note: resolution.note,
      evidence_json: null,
    },
  };
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

function stageImages(batch: LocalBatch, plans: ImagePlan[], server: Map<string, ServerRow>): Buffer {
  const w = new BinaryCopyWriter(batch.images.length * 400);
  batch.images.forEach((i, n) => {
    const p = plans[n]!;
    const updatedAt = p.labelChanged ? (p.resolution.outcome === 'take' ? i.label_updated_at : new Date().toISOString()) : null;
    w.row(STAGE_IMAGE_FIELDS)
      .text(i.sha256)
      .bool(server.has(i.sha256))
      .text(i.perceptual_hash)
      .int4(i.width)
      .int4(i.height)
      .text(i.format)
      .int8(i.file_size)
      .float4(i.quality_score)
      .float4(i.quality_resolution)
      .float4(i.quality_sharpness)
      .float4(i.quality_noise)
      .float4(i.quality_colour)
      .float4(i.quality_artefacts)
      .bool(i.is_hq === 1)
      .text(i.license)
      .text(i.attribution)
      .text(i.source_url)
      .text(i.duplicate_of)
      .text(i.source)
      .text(derivativeRelativePath(i.sha256, 'thumb', 'jpeg'))
      .text(derivativeRelativePath(i.sha256, 'small', 'jpeg'))
      .text(derivativeRelativePath(i.sha256, 'medium', 'jpeg'))
      .text(derivativeRelativePath(i.sha256, 'large', 'jpeg'))
      .bool(p.labelChanged)
      .text(p.taxon)
      .text(p.rank)
      .text(p.state)
      .text(p.author)
      .text(p.labelClient)
      .text(updatedAt)
      .int4(p.rev);
  });
  return w.finish();
}

/** Every event carries its author: the one recorded locally, else the library's curator (SPOREPRINT_CURATOR). */
function stageEvents(events: { sha: string; e: LocalEventRow; fromClient: boolean }[], curator: string | null): Buffer {
  const w = new BinaryCopyWriter(events.length * 200);
  for (const { sha, e, fromClient } of events) {
    w.row(STAGE_EVENT_FIELDS)
      .text(sha)
      .int8(fromClient ? e.id : null)
      .text(e.at)
      .text(e.author ?? curator)
      .text(e.action)
      .text(e.from_state)
      .text(e.to_state)
      .text(e.from_taxon)
      .text(e.to_taxon)
      .text(e.rank)
      .text(e.note)
      .text(e.evidence_json);
  }
  return w.finish();
}

function stageEmbeddings(batch: LocalBatch): { payload: Buffer; dim: number } | null {
  if (!batch.embeddingModel || batch.embeddings.size === 0) return null;
  let dim = -1;
  const w = new BinaryCopyWriter(batch.embeddings.size * 64);
  for (const image of batch.images) {
    const v = batch.embeddings.get(image.id);
    if (!v) continue;
    if (dim !== -1 && v.length !== dim) {
      throw new SporeprintError('SYNC_FAILED', `embeddings of ${batch.embeddingModel} have mixed sizes (${v.length} and ${dim})`);
    }
    dim = v.length;
    w.row(2).text(image.sha256).float4Array(v);
  }
  return { payload: w.finish(), dim };
}
