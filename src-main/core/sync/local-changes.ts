// Reads what the catalogue changed since the last push (by change counter) and records what the server answered.
import type { LabelState } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { applyServerLabel, type ServerLabelState } from './apply-server-label';
import { readSyncState, writeSyncState } from './sync-state';

export interface LocalImageRow {
  seq: number;
  id: number;
  sha256: string;
  perceptual_hash: string;
  width: number;
  height: number;
  format: string;
  file_size: number;
  quality_score: number;
  quality_resolution: number;
  quality_sharpness: number;
  quality_noise: number;
  quality_colour: number;
  /** Null when the score predates quality v2 (artefacts not measured; the column's default is no evidence). */
  quality_artefacts: number | null;
  is_hq: number;
  license: string | null;
  attribution: string | null;
  source_url: string | null;
  duplicate_of: string | null;
  /** MINDEX source: the online source it was fetched from, else 'local'. */
  source: string;
  taxon: string | null;
  rank: string | null;
  state: LabelState | null;
  author: string | null;
  label_updated_at: string | null;
  server_rev: number | null;
  pushed_event_id: number;
}

export interface LocalEventRow {
  id: number;
  image_id: number;
  at: string;
  author: string | null;
  action: string;
  from_state: LabelState | null;
  to_state: LabelState | null;
  from_taxon: string | null;
  to_taxon: string | null;
  rank: string | null;
  note: string | null;
  evidence_json: string | null;
}

export interface LocalBatch {
  images: LocalImageRow[];
  /** Label events not yet pushed, per image id, oldest first; pulled ('sync') events are the server's own. */
  events: Map<number, LocalEventRow[]>;
  /** Embedding as a float array per image id, for the chosen model. */
  embeddings: Map<number, Float32Array>;
  embeddingModel: string | null;
  maxSeq: number;
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
  const row = db.prepare(`SELECT count(*) AS n FROM sync_change WHERE seq > ?`).get(pushCursor(db)) as { n: number };
  return row.n;
}

/** The model whose vectors are pushed: the configured one, else the one with the most vectors. */
export function chooseEmbeddingModel(db: Db, configured: string | undefined): string | null {
  if (configured) return configured;
  const row = db.prepare(`SELECT model_id FROM image_vector GROUP BY model_id ORDER BY count(*) DESC, model_id LIMIT 1`).get() as
    { model_id: string } | undefined;
  return row?.model_id ?? null;
}

export function readBatch(db: Db, afterSeq: number, limit: number, embeddingModel: string | null): LocalBatch {
  const images = db.prepare(BATCH_SQL).all(afterSeq, limit) as LocalImageRow[];
  const ids = JSON.stringify(images.map((i) => i.id));
  const events = new Map<number, LocalEventRow[]>();
  for (const e of db.prepare(EVENTS_SQL).all(ids) as LocalEventRow[]) {
    const list = events.get(e.image_id);
    if (list) list.push(e);
    else events.set(e.image_id, [e]);
  }
  const embeddings = new Map<number, Float32Array>();
  if (embeddingModel && images.length > 0) {
    const rows = db
      .prepare(`SELECT image_id, vector FROM image_vector WHERE model_id = ? AND image_id IN (SELECT value FROM json_each(?))`)
      .all(embeddingModel, ids) as { image_id: number; vector: Buffer }[];
    for (const r of rows) {
      // Copy: the Buffer may not be 4-byte aligned for a Float32Array view.
      const copy = new Uint8Array(r.vector);
      embeddings.set(r.image_id, new Float32Array(copy.buffer, 0, copy.byteLength / 4));
    }
  }
  return { images, events, embeddings, embeddingModel, maxSeq: images.at(-1)?.seq ?? afterSeq };
}

export interface PushedImage {
  imageId: number;
  pushedEventId: number;
  /** The image's label on the server after the batch committed. */
  server: ServerLabelState;
  /** Whether that label is the one the batch read from the catalogue (nothing to mirror). */
  serverMatchesLocal: boolean;
}

/**
 * After the server committed a batch: mirror its label decisions, remember what was pushed, move the cursor, in
 * one local transaction. An image the curator changed during the push keeps its old base revision, so its new
 * decision is judged later as made without seeing the server's.
 */
export function recordBatchPushed(db: Db, pushed: PushedImage[], maxSeq: number): number {
  const ids = JSON.stringify(pushed.map((p) => p.imageId));
  const changedSince = new Set(
    (
      db.prepare(`SELECT image_id FROM sync_change WHERE image_id IN (SELECT value FROM json_each(?)) AND seq > ?`).all(ids, maxSeq) as {
        image_id: number;
      }[]
    ).map((r) => r.image_id),
  );
  const markPushed = db.prepare(
    `INSERT INTO sync_image (image_id, server_rev, pushed_event_id) VALUES (?, NULL, ?)
     ON CONFLICT (image_id) DO UPDATE SET pushed_event_id = max(sync_image.pushed_event_id, excluded.pushed_event_id)`,
  );
  const markInStep = db.prepare(
    `INSERT INTO sync_image (image_id, server_rev, pushed_event_id) VALUES (?, ?, ?)
     ON CONFLICT (image_id) DO UPDATE SET server_rev = excluded.server_rev,
       pushed_event_id = max(sync_image.pushed_event_id, excluded.pushed_event_id)`,
  );
  let mirrored = 0;
  db.transaction(() => {
    for (const p of pushed) {
      // The common case, one statement: the server now holds exactly the label this batch read.
      if (p.serverMatchesLocal && !changedSince.has(p.imageId)) {
        markInStep.run(p.imageId, p.server.rev, p.pushedEventId);
        continue;
      }
      markPushed.run(p.imageId, p.pushedEventId);
      if (changedSince.has(p.imageId)) continue;
      if (applyServerLabel(db, p.imageId, p.server)) mirrored++;
    }
    writeSyncState(db, 'push_cursor', String(maxSeq));
  })();
  return mirrored;
}
