// Images the server does not hold yet go straight into its tables by binary COPY: with no row, no claim, no event and
// no vector of theirs on the server, there is nothing for a rule to weigh, and the push lock keeps them absent
// until COMMIT. Whatever is shared with rows already there (duplicate_of) is resolved here as the merge would.
import { BinaryCopyWriter } from './copy-binary';
import type { LocalImageRow } from './local-changes';
import { labelUpdatedAt } from './plan-image';
import type { EmbeddingStorage } from './server-ddl';
import { vectorPayloadBytes, writeMeasuresAndClaims, writeSourceAndPaths, type OutgoingEvent, type PlannedImage } from './stage-rows';

const IMAGE_COLUMNS = [
  'sha256',
  'perceptual_hash',
  'width',
  'height',
  'format',
  'file_size',
  'quality_score',
  'quality_resolution',
  'quality_sharpness',
  'quality_noise',
  'quality_colour',
  'quality_artefacts',
  'is_hq',
  'license',
  'attribution',
  'source_url',
  'duplicate_of',
  'source',
  'thumb_path',
  'small_path',
  'medium_path',
  'large_path',
  'taxon',
  'rank',
  'label_state',
  'label_author',
  'label_client',
  'label_updated_at',
  'label_rev',
  'label_seq',
  'first_client',
];
export const COPY_NEW_IMAGES = `COPY media.image (${IMAGE_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`;
export const COPY_NEW_CLAIMS = `COPY media.image_claim (image_sha256, client_id, author, license, attribution, source_url, duplicate_of) FROM STDIN (FORMAT binary)`;
export const COPY_NEW_EVENTS = `COPY media.label_event (image_sha256, client_id, client_event_id, at, author, action, from_state, to_state,
  from_taxon, to_taxon, rank, note, evidence) FROM STDIN (FORMAT binary)`;
export const COPY_NEW_EMBEDDINGS = `COPY media.image_embedding (image_sha256, model, dim, embedding, client_id) FROM STDIN (FORMAT binary)`;

/** As many label_seq values as new labels, in one round trip; a sequence never hands out a value twice. */
export const RESERVE_LABEL_SEQ = `SELECT nextval('media.label_seq')::text AS seq FROM generate_series(1, $1::int)`;

/** Who writes: this client's id, and its curator who signs claims and unsigned events. */
export interface Writer {
  clientId: string;
  curator: string | null;
}

export interface NewImageContext extends Writer {
  /** sha256 values a duplicate_of may name now: this batch's images and those already on the server. */
  present: Set<string>;
  /** One label_seq per image whose label the push sets, in batch order. */
  labelSeqs: number[];
}

/**
 * media.image rows. duplicate_of is written only when its representative is present (else the claim keeps it and
 * FILL_PENDING_DUPLICATES sets it when the representative arrives), as in the merge.
 */
export function newImageRows(rows: PlannedImage[], ctx: NewImageContext): Buffer {
  // Sized for the rows written (~720-800 bytes each with the paths, a 100k-image bench): a doubling copies it all.
  const w = new BinaryCopyWriter(rows.length * 1000);
  let seq = 0;
  for (const { image: i, plan: p } of rows) {
    w.row(IMAGE_COLUMNS.length).text(i.sha256);
    writeMeasuresAndClaims(w, i).text(i.duplicate_of !== null && ctx.present.has(i.duplicate_of) ? i.duplicate_of : null);
    writeSourceAndPaths(w, i)
      .text(p.labelChanged ? p.taxon : null)
      .text(p.labelChanged ? p.rank : null)
      // An enum's binary form is its label's text.
      .text(p.labelChanged ? p.state : null)
      .text(p.labelChanged ? p.author : null)
      .text(p.labelChanged ? p.labelClient : null)
      .timestamptz(labelUpdatedAt(i, p))
      .int4(p.labelChanged ? p.rev : 0)
      .int8(p.labelChanged ? ctx.labelSeqs[seq++]! : 0)
      .text(ctx.clientId);
  }
  return w.finish();
}

/** This client's claim on each image that carries a licence, credit, source URL or representative. */
export function newClaimRows(rows: PlannedImage[], ctx: Writer): Buffer | null {
  const w = new BinaryCopyWriter(rows.length * 240); // ~195 bytes a claim
  for (const { image: i } of rows) {
    if (i.license === null && i.attribution === null && i.source_url === null && i.duplicate_of === null) continue;
    w.row(7)
      .text(i.sha256)
      .text(ctx.clientId)
      .text(ctx.curator)
      .text(i.license)
      .text(i.attribution)
      .text(i.source_url)
      .text(i.duplicate_of);
  }
  return w.rows > 0 ? w.finish() : null;
}

/**
 * Events to append, each with its author (the local one, else the curator) and, for the client's own, its event id
 * (a dispute the push writes has none).
 */
export function newEventRows(events: OutgoingEvent[], ctx: Writer): Buffer | null {
  if (events.length === 0) return null;
  const w = new BinaryCopyWriter(events.length * 300); // ~240 bytes an event
  for (const { sha, e, fromClient } of events) {
    w.row(13)
      .text(sha)
      .text(ctx.clientId)
      .int8(fromClient ? e.id : null)
      .timestamptz(e.at)
      .text(e.author ?? ctx.curator)
      .text(e.action)
      .text(e.from_state)
      .text(e.to_state)
      .text(e.from_taxon)
      .text(e.to_taxon)
      .text(e.rank)
      .text(e.note)
      .jsonb(e.evidence_json);
  }
  return w.finish();
}

/** The new images' vectors in the server's storage: pgvector's binary form or a real[]. */
export function newEmbeddingRows(
  images: LocalImageRow[],
  vectors: Map<number, Buffer>,
  model: string,
  storage: EmbeddingStorage,
  clientId: string,
): Buffer | null {
  // Each row: its field count, the sha256, the model, the size, the vector, the client id.
  const w = new BinaryCopyWriter(vectorPayloadBytes(vectors, 2 + 68 + 4 + 3 * model.length + 8 + 4 + 3 * clientId.length));
  for (const image of images) {
    const v = vectors.get(image.id);
    if (!v) continue;
    w.row(5)
      .text(image.sha256)
      .text(model)
      .int4(v.byteLength / 4);
    if (storage === 'vector') w.pgvectorOfBytes(v);
    else w.float4ArrayOfBytes(v);
    w.text(clientId);
  }
  return w.rows > 0 ? w.finish() : null;
}
