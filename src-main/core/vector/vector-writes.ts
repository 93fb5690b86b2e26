// Where a connection's stored vectors stand: a count of this connection's writes to image_vector (kept by TEMP
// triggers) beside data_version (other connections' commits). Two equal marks mean no vector was added, replaced
// or removed in between, so values built from vectors (a search filter's scan rows) can be carried over a catalogue
// change that wrote only labels, scores or clusters instead of reading every vector again.
import type { Db } from '../catalog/database';
import { parseCount } from '../catalog/parse-rows';
import { cachedStatement } from '../catalog/statement-cache';

export interface VectorMark {
  dataVersion: number;
  writes: number;
}

// Any model's write counts (a search keeps few filters, and a re-embedding moves many vectors at once, so telling
// models apart would gain little). The count is the newest row's seq: each write adds a row and drops the older ones,
// so the table holds one row. Nothing is inserted up front: that would count as a change of the catalogue
// (total_changes) and throw away the values cached for it.
const step = 'INSERT INTO vector_write (seq) VALUES (NULL); DELETE FROM vector_write WHERE seq < (SELECT max(seq) FROM vector_write);';
const COUNTER_DDL = `
CREATE TEMP TABLE IF NOT EXISTS vector_write (seq INTEGER PRIMARY KEY);
CREATE TEMP TRIGGER IF NOT EXISTS vector_write_insert AFTER INSERT ON image_vector BEGIN ${step} END;
CREATE TEMP TRIGGER IF NOT EXISTS vector_write_update AFTER UPDATE ON image_vector BEGIN ${step} END;
CREATE TEMP TRIGGER IF NOT EXISTS vector_write_delete AFTER DELETE ON image_vector BEGIN ${step} END;
`;

const counted = new WeakSet<Db>();

/**
 * This connection's vector mark, or null where none can be kept: inside a transaction (a rollback would take the
 * counter's table with it, and what is built there must not outlive it). A read-only connection writes no vectors,
 * so data_version alone marks it.
 */
export function vectorMark(db: Db): VectorMark | null {
  if (db.inTransaction) return null;
  if (!counted.has(db) && !db.readonly) {
    db.exec(COUNTER_DDL);
    counted.add(db);
  }
  const dataVersion = parseCount(cachedStatement(db, 'PRAGMA data_version').pluck().get(), 'data_version');
  const writes = counted.has(db)
    ? parseCount(cachedStatement(db, 'SELECT ifnull(max(seq), 0) FROM temp.vector_write').pluck().get(), 'vector writes')
    : 0;
  return { dataVersion, writes };
}

export function sameVectors(a: VectorMark, b: VectorMark): boolean {
  return a.dataVersion === b.dataVersion && a.writes === b.writes;
}
