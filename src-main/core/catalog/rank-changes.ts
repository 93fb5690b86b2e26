// The images this connection's writes may have moved in a listing, with the sort keys they had before: TEMP
// triggers on image, label and cluster_member (what sort keys and filters read) log each written image id, so that
// rank checkpoints are repaired from a write's delta instead of walked again from the listing's start
// (listing-ranks.ts, rank-repair.ts). TEMP objects belong to this connection alone and cost nothing until a Detail
// view asks for a place; another connection's commit moves data_version, and the checkpoints are then rebuilt.
import type { Db } from './database';
import { parseCount, parseRows } from './parse-rows';
import { cachedStatement } from './statement-cache';
import * as z from 'zod';

/** The sort keys a write logs as they were before it (the rowid needs none: it never changes). */
export type LoggedKey = 'quality' | 'size' | 'resolution' | 'taxon';

/**
 * Rows kept in the log: past this many writes since a listing's checkpoints were last used, they are rebuilt
 * (a bulk re-score or re-clustering changes most chunks anyway). Older rows are dropped by the write that logs.
 */
export const LOG_ROWS = 16_384;

/** What happened to one image since a mark. */
export interface ChangedImage {
  /** It did not exist at the mark (its first logged write inserted it). */
  added: boolean;
  /** Each sort key's values before the writes (every value the image had, in log order). */
  before: Record<LoggedKey, (number | string)[]>;
}

/** Where the catalogue stood: another connection's commits (data_version) and this one's log, or its change count. */
export interface ChangeMark {
  dataVersion: number;
  /** The log's last row, or null without a log (a read-only connection): then `own` is total_changes(). */
  seq: number | null;
  own: number;
}

const ADDED = 0;
const IMAGE_BEFORE = 1;
const LABEL_BEFORE = 2;
const MEMBERSHIP = 3;

const trim = `DELETE FROM rank_change WHERE seq <= (SELECT max(seq) FROM rank_change) - ${LOG_ROWS};`;
const imageBefore = (row: string) =>
  `INSERT INTO rank_change (image_id, kind, quality, size, resolution) VALUES (${row}.id, ${IMAGE_BEFORE}, ${row}.quality_score, ${row}.file_size, max(${row}.width, ${row}.height));`;

// Unqualified names: rank_change exists only in temp, the logged tables only in main. An INSERT OR REPLACE deletes
// a conflicting row without firing delete triggers (recursive_triggers is off), so the BEFORE INSERT triggers log
// the row a replace would remove; an upsert fires the update triggers as well.
const LOG_DDL = `
CREATE TEMP TABLE IF NOT EXISTS rank_change (
  seq INTEGER PRIMARY KEY, image_id INTEGER NOT NULL, kind INTEGER NOT NULL,
  quality REAL, size INTEGER, resolution INTEGER, taxon TEXT
);
CREATE TEMP TRIGGER IF NOT EXISTS rank_image_replace BEFORE INSERT ON image BEGIN
  INSERT INTO rank_change (image_id, kind, quality, size, resolution)
    SELECT id, ${IMAGE_BEFORE}, quality_score, file_size, max(width, height) FROM image WHERE id = NEW.id OR sha256 = NEW.sha256;
  INSERT INTO rank_change (image_id, kind, taxon)
    SELECT l.image_id, ${LABEL_BEFORE}, l.taxon FROM image i JOIN label l ON l.image_id = i.id WHERE i.id = NEW.id OR i.sha256 = NEW.sha256;
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_image_insert AFTER INSERT ON image BEGIN
  INSERT INTO rank_change (image_id, kind) VALUES (NEW.id, ${ADDED});
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_image_update AFTER UPDATE ON image BEGIN
  ${imageBefore('OLD')}
  INSERT INTO rank_change (image_id, kind) SELECT NEW.id, ${ADDED} WHERE NEW.id IS NOT OLD.id;
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_image_delete AFTER DELETE ON image BEGIN
  ${imageBefore('OLD')}
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_label_replace BEFORE INSERT ON label BEGIN
  INSERT INTO rank_change (image_id, kind, taxon) SELECT image_id, ${LABEL_BEFORE}, taxon FROM label WHERE image_id = NEW.image_id;
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_label_insert AFTER INSERT ON label BEGIN
  INSERT INTO rank_change (image_id, kind, taxon) VALUES (NEW.image_id, ${LABEL_BEFORE}, NULL);
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_label_update AFTER UPDATE ON label BEGIN
  INSERT INTO rank_change (image_id, kind, taxon) VALUES (OLD.image_id, ${LABEL_BEFORE}, OLD.taxon);
  INSERT INTO rank_change (image_id, kind, taxon) SELECT NEW.image_id, ${LABEL_BEFORE}, NULL WHERE NEW.image_id IS NOT OLD.image_id;
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_label_delete AFTER DELETE ON label BEGIN
  INSERT INTO rank_change (image_id, kind, taxon) VALUES (OLD.image_id, ${LABEL_BEFORE}, OLD.taxon);
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_member_insert AFTER INSERT ON cluster_member BEGIN
  INSERT INTO rank_change (image_id, kind) VALUES (NEW.image_id, ${MEMBERSHIP});
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_member_update AFTER UPDATE ON cluster_member BEGIN
  INSERT INTO rank_change (image_id, kind) VALUES (OLD.image_id, ${MEMBERSHIP});
  INSERT INTO rank_change (image_id, kind) SELECT NEW.image_id, ${MEMBERSHIP} WHERE NEW.image_id IS NOT OLD.image_id;
  ${trim}
END;
CREATE TEMP TRIGGER IF NOT EXISTS rank_member_delete AFTER DELETE ON cluster_member BEGIN
  INSERT INTO rank_change (image_id, kind) VALUES (OLD.image_id, ${MEMBERSHIP});
  ${trim}
END;
`;

const logged = new WeakSet<Db>();

/**
 * Starts this connection's change log (once; not inside a transaction, whose rollback would take the log's
 * tables with it, nor on a read-only connection, which never writes). Returns whether the connection has one.
 */
export function ensureChangeLog(db: Db): boolean {
  if (logged.has(db)) return true;
  if (db.readonly || db.inTransaction) return false;
  db.exec(LOG_DDL);
  logged.add(db);
  return true;
}

export function changeMark(db: Db): ChangeMark {
  const dataVersion = parseCount(cachedStatement(db, 'PRAGMA data_version').pluck().get(), 'data_version');
  const own = parseCount(cachedStatement(db, 'SELECT total_changes()').pluck().get(), 'total_changes()');
  if (!logged.has(db)) return { dataVersion, seq: null, own };
  const seq = parseCount(cachedStatement(db, 'SELECT ifnull(max(seq), 0) FROM temp.rank_change').pluck().get(), 'rank log');
  return { dataVersion, seq, own };
}

/** Whether nothing a listing reads changed between the two marks (as far as the marks can tell). */
export function sameCatalogue(a: ChangeMark, b: ChangeMark): boolean {
  return a.dataVersion === b.dataVersion && (a.seq !== null && b.seq !== null ? a.seq === b.seq : a.own === b.own);
}

const logRow = z.object({
  seq: z.number().int(),
  image_id: z.number().int(),
  kind: z.number().int(),
  quality: z.number().nullable(),
  size: z.number().nullable(),
  resolution: z.number().nullable(),
  taxon: z.string().nullable(),
});

/**
 * The images written since `mark`, or null when that cannot be told: another connection committed, the log
 * dropped rows written since, or there is no log.
 */
export function changesSince(db: Db, mark: ChangeMark, now: ChangeMark): Map<number, ChangedImage> | null {
  if (now.dataVersion !== mark.dataVersion) return null;
  if (mark.seq === null || now.seq === null) return now.own === mark.own ? new Map() : null;
  if (now.seq === mark.seq) return new Map();
  const first = parseCount(cachedStatement(db, 'SELECT ifnull(min(seq), 0) FROM temp.rank_change').pluck().get(), 'rank log');
  if (first > mark.seq + 1) return null;
  const rows = parseRows(
    logRow,
    cachedStatement(db, 'SELECT * FROM temp.rank_change WHERE seq > ? ORDER BY seq').all(mark.seq),
    'rank log row',
  );
  const out = new Map<number, ChangedImage>();
  for (const row of rows) {
    let change = out.get(row.image_id);
    if (!change) {
      change = { added: row.kind === ADDED, before: { quality: [], size: [], resolution: [], taxon: [] } };
      out.set(row.image_id, change);
    }
    if (row.kind === IMAGE_BEFORE) {
      change.before.quality.push(row.quality!);
      change.before.size.push(row.size!);
      change.before.resolution.push(row.resolution!);
    } else if (row.kind === LABEL_BEFORE && row.taxon !== null) change.before.taxon.push(row.taxon);
  }
  return out;
}
