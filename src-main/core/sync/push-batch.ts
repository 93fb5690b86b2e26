// Pushes one batch of changed images, their labels, events and embeddings in a single server transaction.
import type { ClientBase } from 'pg';
import type { LabelState } from '../../../src-shared/model';
import type { LocalBatch, LocalEventRow, LocalImageRow, PushedImage } from './local-changes';
import { resolveLabel, type Resolution, type ServerLabel } from './resolve-label';
import { float4ArrayBinary, scalarArray, textArray } from './pg-arrays';
import { INSERT_EVENTS, INSERT_IMAGES, UPDATE_IMAGES } from './push-statements';
import type { EmbeddingStorage } from './server-schema';
import { SporeprintError } from '../errors';

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
    const cast = ctx.embeddingStorage === 'vector' ? '::vector' : '';
    const fresh = batch.images.flatMap((image, n) => (server.has(image.sha256) ? [] : [n]));
    const existing = batch.images.flatMap((image, n) => (server.has(image.sha256) ? [n] : []));
    // All writes are queued at once (pg runs them in order on the connection) so the caller's next batch can be
    // read from the catalogue while the server is busy with this one.
    const writes: Promise<unknown>[] = [];
    if (fresh.length > 0) {
      const params = imageParams(
        fresh.map((n) => batch.images[n]!),
        fresh.map((n) => plan[n]!),
        batch,
        ctx.clientId,
      );
      writes.push(client.query(INSERT_IMAGES(cast), params));
    }
    if (existing.length > 0) {
      // The UPDATE has no first_client ($29): the image keeps the client that first pushed it.
      const params = imageParams(
        existing.map((n) => batch.images[n]!),
        existing.map((n) => plan[n]!),
        batch,
        ctx.clientId,
      ).slice(0, 28);
      writes.push(client.query(UPDATE_IMAGES(cast), params));
    }
    const newEvents = batch.images.flatMap((image) =>
      (batch.events.get(image.id) ?? []).filter((e) => !knownIds.has(e.id)).map((e) => ({ sha: image.sha256, e })),
    );
    const disputeEvents = plan.flatMap((p, i) => (p.disputeEvent ? [{ sha: batch.images[i]!.sha256, e: p.disputeEvent }] : []));
    if (newEvents.length > 0) writes.push(client.query(INSERT_EVENTS, eventParams(ctx.clientId, newEvents, true)));
    if (disputeEvents.length > 0) writes.push(client.query(INSERT_EVENTS, eventParams(ctx.clientId, disputeEvents, false)));
    ctx.whileWriting?.();
    const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;

    await ctx.beforeCommit?.();
    await client.query('COMMIT');
    return {
      pushed: batch.images.map((image, i) => {
        const p = plan[i]!;
        return {
          imageId: image.id,
          pushedEventId: Math.max(image.pushed_event_id, ...(batch.events.get(image.id) ?? []).map((e) => e.id)),
          server: { taxon: p.taxon, rank: p.rank, state: p.state, author: p.author, rev: p.rev },
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

function imageParams(images: LocalImageRow[], plans: ImagePlan[], batch: LocalBatch, clientId: string): unknown[] {
  const text = (f: (i: LocalImageRow, n: number) => string | null) => textArray(images.map(f));
  const num = (f: (i: LocalImageRow, n: number) => number | boolean | null) => scalarArray(images.map(f));
  const vectors: Float32Array[] = [];
  const slots = images.map((i) => {
    const v = batch.embeddings.get(i.id);
    if (!v) return null;
    if (vectors.length > 0 && v.length !== vectors[0]!.length) {
      throw new SporeprintError(
        'SYNC_FAILED',
        `embeddings of ${batch.embeddingModel} have mixed sizes (${v.length} and ${vectors[0]!.length})`,
      );
    }
    vectors.push(v);
    return vectors.length;
  });
  return [
    text((i) => i.sha256),
    text((i) => i.perceptual_hash),
    num((i) => i.width),
    num((i) => i.height),
    text((i) => i.format),
    num((i) => i.file_size),
    num((i) => i.quality_score),
    num((i) => i.quality_resolution),
    num((i) => i.quality_sharpness),
    num((i) => i.quality_noise),
    num((i) => i.quality_colour),
    num((i) => i.is_hq === 1),
    text((i) => i.license),
    text((i) => i.attribution),
    text((i) => i.source_url),
    text((i) => i.duplicate_of),
    text((_, n) => plans[n]!.taxon),
    text((_, n) => plans[n]!.rank),
    text((_, n) => plans[n]!.state),
    text((_, n) => plans[n]!.author),
    text((_, n) => plans[n]!.labelClient),
    text((i, n) =>
      plans[n]!.labelChanged ? (plans[n]!.resolution.outcome === 'take' ? i.label_updated_at : new Date().toISOString()) : null,
    ),
    num((_, n) => plans[n]!.rev),
    num((_, n) => plans[n]!.labelChanged),
    scalarArray(slots),
    text((i) => (batch.embeddings.has(i.id) ? batch.embeddingModel : null)),
    vectors.length > 0 ? float4ArrayBinary(vectors) : null,
    vectors[0]?.length ?? 0,
    clientId,
  ];
}

function eventParams(clientId: string, events: { sha: string; e: LocalEventRow }[], fromClient: boolean): unknown[] {
  const text = (f: (e: LocalEventRow) => string | null) => textArray(events.map((x) => f(x.e)));
  return [
    clientId,
    textArray(events.map((x) => x.sha)),
    scalarArray(events.map((x) => (fromClient ? x.e.id : null))),
    text((e) => e.at),
    text((e) => e.author),
    text((e) => e.action),
    text((e) => e.from_state),
    text((e) => e.to_state),
    text((e) => e.from_taxon),
    text((e) => e.to_taxon),
    text((e) => e.rank),
    text((e) => e.note),
    text((e) => e.evidence_json),
  ];
}
