// Reads what the catalogue changed since the last push (by change counter) and records what the server answered.
import { LABEL_STATES } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { parseCount, parseIds, parseRow, rowShapeError } from '../catalog/parse-rows';
import { integer, nullable, oneOf, rawRowChecker, real, text, type Column, type ObjectRow } from '../catalog/row-columns';
import * as z from 'zod';
import { mirrorServerLabel, type ServerLabelState } from './apply-server-label';
import { readVectors } from './local-vectors';
import { readSyncState, writeSyncState } from './sync-state';

// Checked column by column rather than by zod: a push reads every changed image of the catalogue through these.
const labelState = nullable(oneOf(LABEL_STATES));
const localImageRow = {
  seq: integer,
  id: integer,
  sha256: text,
  perceptual_hash: text,
  width: integer,
  height: integer,
  format: text,
  file_size: integer,
  quality_score: real,
  quality_resolution: real,
  quality_sharpness: real,
  quality_noise: real,
  quality_colour: real,
  /** Null when the score predates quality v2 (artefacts not measured; the column's default is no evidence). */
  quality_artefacts: nullable(real),
  is_hq: integer,
  license: nullable(text),
  attribution: nullable(text),
  source_url: nullable(text),
  duplicate_of: nullable(text),
  /** MINDEX source: the online source it was fetched from, else 'local'. */
  source: text,
  taxon: nullable(text),
  rank: nullable(text),
  state: labelState,
  author: nullable(text),
  label_updated_at: nullable(text),
  server_rev: nullable(integer),
  pushed_event_id: integer,
};
export type LocalImageRow = ObjectRow<typeof localImageRow>;

/**
 * Rows of a statement read as arrays, each checked column by column against `shape` (its keys are the statement's
 * columns, in order). imageRow and eventRow below read them by position, so a query edited out of step with its shape
 * must fail, not mislabel: the statement's column names are checked first.
 */
function positionalReader(what: string, shape: Record<string, Column<unknown>>) {
  const names = Object.keys(shape).join();
  const check = rawRowChecker(
    what,
    Object.entries(shape).map(([name, column]): [string, Column<unknown>] => [name, column]),
  );
  return (db: Db, sql: string, ...params: unknown[]): unknown[][] => {
    const statement = db.prepare(sql).raw(true);
    const columns = statement.columns().map((c) => c.name);
    if (columns.join() !== names) throw rowShapeError(what, '', `columns ${columns.join(', ')}`);
    return statement.all(...params).map((row) => check(row) as unknown[]);
  };
}
const readImageRows = positionalReader('sync batch image', localImageRow);

/**
 * A checked batch row (BATCH_SQL's columns are localImageRow's, in order) made into one object literal:
 * better-sqlite3 builds a 27-property row object by adding each property in turn, and that was ~70% of reading a
 * batch (20k rows: ~150 ms as arrays against ~500 ms as objects, this process's CPU).
 */
function imageRow(r: unknown[]): LocalImageRow {
  return {
    seq: r[0] as number,
    id: r[1] as number,
    sha256: r[2] as string,
    perceptual_hash: r[3] as string,
    width: r[4] as number,
    height: r[5] as number,
    format: r[6] as string,
    file_size: r[7] as number,
    quality_score: r[8] as number,
    quality_resolution: r[9] as number,
    quality_sharpness: r[10] as number,
    quality_noise: r[11] as number,
    quality_colour: r[12] as number,
    quality_artefacts: r[13] as number | null,
    is_hq: r[14] as number,
    license: r[15] as string | null,
    attribution: r[16] as string | null,
    source_url: r[17] as string | null,
    duplicate_of: r[18] as string | null,
    source: r[19] as string,
    taxon: r[20] as string | null,
    rank: r[21] as string | null,
    state: r[22] as LocalImageRow['state'],
    author: r[23] as string | null,
    label_updated_at: r[24] as string | null,
    server_rev: r[25] as number | null,
    pushed_event_id: r[26] as number,
  };
}

const localEventRow = {
  id: integer,
  image_id: integer,
  at: text,
  author: nullable(text),
  action: text,
  from_state: labelState,
  to_state: labelState,
  from_taxon: nullable(text),
  to_taxon: nullable(text),
  rank: nullable(text),
  note: nullable(text),
  evidence_json: nullable(text),
};
export type LocalEventRow = ObjectRow<typeof localEventRow>;
const readEventRows = positionalReader('sync batch label event', localEventRow);

/** A checked event row (EVENTS_SQL's columns are localEventRow's, in order), as imageRow above. */
function eventRow(r: unknown[]): LocalEventRow {
  return {
    id: r[0] as number,
    image_id: r[1] as number,
    at: r[2] as string,
    author: r[3] as string | null,
    action: r[4] as string,
    from_state: r[5] as LocalEventRow['from_state'],
    to_state: r[6] as LocalEventRow['to_state'],
    from_taxon: r[7] as string | null,
    to_taxon: r[8] as string | null,
    rank: r[9] as string | null,
    note: r[10] as string | null,
    evidence_json: r[11] as string | null,
  };
}
export interface LocalBatch {
  images: LocalImageRow[];
  /** Label events not yet pushed, per image id, oldest first; pulled ('sync') events are the server's own. */
  events: Map<number, LocalEventRow[]>;
  /** Embedding per image id for the chosen model: its float32 values as the catalogue stores them (little-endian). */
  embeddings: Map<number, Buffer>;
  embeddingModel: string | null;
  maxSeq: number;
  /**
   * The change counter when the batch was read (in the same read transaction): any later change to an image gets a
   * higher change number, so the images changed while the batch was pushed are those numbered above it.
   */
  readAt: number;
}

/** Quality v2 added the compression-artefacts component; older scores hold the column's default, not a measure. */
const ARTEFACTS_FROM_QUALITY_VERSION = 2;

// A member that is neither its cluster's representative nor kept by the curator is a redundant copy.
const BATCH_SQL = /* sql */ `
SELECT sc.seq, i.id, i.sha256, i.perceptual_hash, i.width, i.height, i.format, i.file_size, i.quality_score,
       i.quality_resolution, i.quality_sharpness, i.quality_noise, i.quality_colour,
       CASE WHEN i.quality_version >= ${ARTEFACTS_FROM_QUALITY_VERSION} THEN i.quality_artefacts END AS quality_artefacts, i.is_hq, i.license,
       i.attribution, i.source_url,
       CASE WHEN c.representative_id IS NOT NULL AND c.representative_id <> i.id
             AND NOT EXISTS (SELECT 1 FROM duplicate_decision d WHERE d.action = 'keep' AND d.image_a = i.id)
            THEN r.sha256 END AS duplicate_of,
       COALESCE((SELECT sf.source FROM source_fetch sf WHERE sf.image_id = i.id ORDER BY sf.updated_at DESC LIMIT 1), 'local') AS source,
       l.taxon, l.rank, l.state, l.author, l.updated_at AS label_updated_at,
       si.server_rev, COALESCE(si.pushed_event_id, 0) AS pushed_event_id
FROM sync_change sc
JOIN image i ON i.id = sc.image_id
LEFT JOIN label l ON l.image_id = i.id
LEFT JOIN sync_image si ON si.image_id = i.id
LEFT JOIN cluster_member cm ON cm.image_id = i.id
LEFT JOIN cluster c ON c.id = cm.cluster_id
LEFT JOIN image r ON r.id = c.representative_id
WHERE sc.seq > ?
ORDER BY sc.seq
LIMIT ?`;

const EVENTS_SQL = /* sql */ `
SELECT e.id, e.image_id, e.at, e.author, e.action, e.from_state, e.to_state, e.from_taxon, e.to_taxon, e.rank, e.note, e.evidence_json
FROM label_event e
LEFT JOIN sync_image si ON si.image_id = e.image_id
WHERE e.image_id IN (SELECT value FROM json_each(?)) AND e.id > COALESCE(si.pushed_event_id, 0) AND e.action <> 'sync'
ORDER BY e.id`;

export function pushCursor(db: Db): number {
  return Number(readSyncState(db, 'push_cursor') ?? 0);
}

export function countPending(db: Db): number {
  return parseCount(db.prepare(`SELECT count(*) FROM sync_change WHERE seq > ?`).pluck().get(pushCursor(db)), 'pending change count');
}

/** The model whose vectors are pushed: the configured one, else the one with the most vectors. */
export function chooseEmbeddingModel(db: Db, configured: string | undefined): string | null {
  if (configured) return configured;
  const row = db.prepare(`SELECT model_id FROM image_vector GROUP BY model_id ORDER BY count(*) DESC, model_id LIMIT 1`).get();
  return parseRow(z.object({ model_id: z.string() }), row, 'embedding model')?.model_id ?? null;
}

export function readBatch(db: Db, afterSeq: number, limit: number, embeddingModel: string | null): LocalBatch {
  return db.transaction(() => readBatchInSnapshot(db, afterSeq, limit, embeddingModel))();
}

function readBatchInSnapshot(db: Db, afterSeq: number, limit: number, embeddingModel: string | null): LocalBatch {
  const readAt = parseCount(db.prepare(`SELECT value FROM sync_counter WHERE id = 1`).pluck().get(), 'sync change counter');
  const images = readImageRows(db, BATCH_SQL, afterSeq, limit).map(imageRow);
  const ids = JSON.stringify(images.map((i) => i.id));
  const events = new Map<number, LocalEventRow[]>();
  for (const e of readEventRows(db, EVENTS_SQL, ids).map(eventRow)) {
    const list = events.get(e.image_id);
    if (list) list.push(e);
    else events.set(e.image_id, [e]);
  }
  const embeddings = embeddingModel && images.length > 0 ? readVectors(db, images, embeddingModel) : new Map<number, Buffer>();
  return { images, events, embeddings, embeddingModel, maxSeq: images.at(-1)?.seq ?? afterSeq, readAt };
}

export interface PushedImage {
  imageId: number;
  pushedEventId: number;
  /** The image's label on the server after the batch committed. */
  server: ServerLabelState;
  /** Whether that label is the one the batch read from the catalogue (nothing to mirror). */
  serverMatchesLocal: boolean;
  /**
   * The server label's label_seq when the push left it as it was (null when the push wrote it, or the image is new
   * to the server): with serverMatchesLocal, the pull after the push need not look that label up again.
   */
  keptServerSeq: number | null;
}

/**
 * After the server committed a batch: mirror its label decisions, remember what was pushed, move the cursor, in
 * one local transaction. An image the curator changed during the push keeps its old base revision, so its new
 * decision is judged later as made without seeing the server's. Returns how many labels were mirrored, and the
 * server labels refused (each with its reason).
 */
export function recordBatchPushed(
  db: Db,
  pushed: PushedImage[],
  batch: Pick<LocalBatch, 'maxSeq' | 'readAt'>,
): { mirrored: number; refused: string[] } {
  // Changes numbered above the batch's read: usually none, so one range read of the change index (the lookup of each
  // pushed image it replaces was ~0.05 s of a 100k-image push's client CPU).
  const changedSince = new Set(
    parseIds(db.prepare(`SELECT image_id FROM sync_change WHERE seq > ?`).pluck().all(batch.readAt), 'images changed during the push'),
  );
  const markPushed = db.prepare(
    `INSERT INTO sync_image (image_id, server_rev, pushed_event_id) VALUES (?, NULL, ?)
     ON CONFLICT (image_id) DO UPDATE SET pushed_event_id = max(sync_image.pushed_event_id, excluded.pushed_event_id)`,
  );
  // The common case: the server now holds exactly the label this batch read (a statement per image measured cheaper
  // than one statement over a JSON list of them: 0.9 against 1.15 us an image).
  const markInStep = db.prepare(
    `INSERT INTO sync_image (image_id, server_rev, pushed_event_id) VALUES (?, ?, ?)
     ON CONFLICT (image_id) DO UPDATE SET server_rev = excluded.server_rev,
       pushed_event_id = max(sync_image.pushed_event_id, excluded.pushed_event_id)`,
  );
  let mirrored = 0;
  const refused: string[] = [];
  db.transaction(() => {
    for (const p of pushed) {
      const changed = changedSince.has(p.imageId);
      if (p.serverMatchesLocal && !changed) {
        markInStep.run(p.imageId, p.server.rev, p.pushedEventId);
        continue;
      }
      markPushed.run(p.imageId, p.pushedEventId);
      if (changed) continue;
      const outcome = mirrorServerLabel(db, p.imageId, p.server);
      if (outcome.changed) mirrored++;
      if (outcome.refused) refused.push(outcome.refused);
    }
    writeSyncState(db, 'push_cursor', String(batch.maxSeq));
  })();
  return { mirrored, refused };
}
