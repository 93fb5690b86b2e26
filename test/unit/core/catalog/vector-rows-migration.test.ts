// Migration 021: image_vector becomes a rowid table, with every vector byte for byte, its constraints, cascades,
// indexes and sync triggers, and without the file growing by the old table's size.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Db } from '../../../../src-main/core/catalog/database';
import { migrate, MIGRATIONS } from '../../../../src-main/core/catalog/migrations';
import { PROGRESS_FROM_VECTORS } from '../../../../src-main/core/catalog/migrations/021-vector-rows';
import { vectorMark, sameVectors } from '../../../../src-main/core/vector/vector-writes';
import { putVectors, removeModel, upsertModel } from '../../../../src-main/core/vector/vector-store';
import { Library } from '../../../../src-main/core/library';
import { insertImages } from '../../../fixtures/catalog-rows';
import { writeCatalogueBeforeVectorRows } from '../../../fixtures/catalogue-before-vector-rows';
import { makeTempDir } from '../../../fixtures/temp-library';

const CLIP = 'clip-test';
const DESCRIPTOR = 'descriptor-test';
const DIM = 512;
// More than one batch of the migration's move (500 rows), for each model.
const IMAGES = 2500;

function vector(seed: number, dim: number): Float32Array {
  return Float32Array.from({ length: dim }, (_, d) => Math.sin(seed * 31 + d));
}

/** Every vector row as it is stored: the bytes in hex, so equality is byte for byte. */
function storedRows(db: Db): unknown[] {
  return db.prepare(`SELECT model_id, image_id, hex(vector) AS vector, created_at FROM image_vector ORDER BY model_id, image_id`).all();
}

function schemaOf(db: Db, type: 'index' | 'trigger'): Record<string, string> {
  const rows = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = 'image_vector' AND sql IS NOT NULL`).all(type);
  return Object.fromEntries((rows as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));
}

const counter = (db: Db) => db.prepare(`SELECT value FROM sync_counter WHERE id = 1`).pluck().get() as number;
const changeSeq = (db: Db, imageId: number) => db.prepare(`SELECT seq FROM sync_change WHERE image_id = ?`).pluck().get(imageId);

describe('migration 021 (vector rows)', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  let ids: number[];
  let before: { rows: unknown[]; triggers: Record<string, string>; pages: number; tablePages: number };

  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    file = path.join(dir, 'catalog.db');
    // The catalogue as version 20 left it, with the vectors of two models.
    const old = openCatalog(file, { migrateTo: 20 });
    ids = insertImages(old, 'v', IMAGES);
    upsertModel(old, { id: CLIP, kind: 'clip', vectorSize: DIM, path: null });
    upsertModel(old, { id: DESCRIPTOR, kind: 'descriptor', vectorSize: 8, path: null });
    putVectors(
      old,
      CLIP,
      ids.map((imageId) => ({ imageId, vector: vector(imageId, DIM) })),
    );
    putVectors(
      old,
      DESCRIPTOR,
      ids.filter((id) => id % 2 === 0).map((imageId) => ({ imageId, vector: vector(-imageId, 8) })),
    );
    old.pragma('wal_checkpoint(TRUNCATE)');
    before = {
      rows: storedRows(old),
      triggers: schemaOf(old, 'trigger'),
      pages: old.pragma('page_count', { simple: true }) as number,
      tablePages: old.prepare(`SELECT count(*) FROM dbstat WHERE name = 'image_vector'`).pluck().get() as number,
    };
    expect(old.pragma('user_version', { simple: true })).toBe(20);
    old.close();
  });
  afterEach(() => cleanup());

  it('keeps every vector byte for byte, as a rowid table in key order', () => {
    const db = openCatalog(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const table = db.prepare(`SELECT wr FROM pragma_table_list WHERE name = 'image_vector' AND schema = 'main'`).get();
      expect(table).toEqual({ wr: 0 });
      expect(storedRows(db)).toEqual(before.rows);
      expect(before.rows).toHaveLength(IMAGES + IMAGES / 2);
      // Rowids follow (model_id, image_id): a model's vectors in id order are neighbours.
      const order = db.prepare(`SELECT model_id, image_id FROM image_vector ORDER BY id`).all();
      expect(order).toEqual(db.prepare(`SELECT model_id, image_id FROM image_vector ORDER BY model_id, image_id`).all());
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('keeps the indexes and the sync triggers, and does not grow the file by the old table', () => {
    const db = openCatalog(file);
    try {
      expect(schemaOf(db, 'trigger')).toEqual(before.triggers);
      expect(Object.keys(before.triggers).sort()).toEqual(['sync_vector_insert', 'sync_vector_update']);
      const indexes = schemaOf(db, 'index');
      expect(Object.keys(indexes).sort()).toEqual(['image_vector_image', 'image_vector_model']);
      expect(indexes.image_vector_model).toMatch(/UNIQUE INDEX image_vector_model ON image_vector\(model_id, image_id\)/);
      // The moved rows took the pages the old rows freed: one INSERT ... SELECT grew the file by ~0.9x the old table.
      expect(db.pragma('page_count', { simple: true })).toBeLessThan(before.pages + before.tablePages / 2);
    } finally {
      db.close();
    }
  });

  it('keeps (model, image) unique and both foreign keys with their cascades', () => {
    const db = openCatalog(file);
    try {
      const insert = db.prepare(`INSERT INTO image_vector (model_id, image_id, vector) VALUES (?, ?, ?)`);
      expect(() => insert.run(CLIP, ids[0], Buffer.alloc(DIM * 4))).toThrow(/UNIQUE/);
      expect(() => insert.run('no-such-model', ids[0], Buffer.alloc(8))).toThrow(/FOREIGN KEY/);
      expect(() => insert.run(CLIP, 10 ** 9, Buffer.alloc(DIM * 4))).toThrow(/FOREIGN KEY/);
      const count = (model: string) => db.prepare(`SELECT count(*) FROM image_vector WHERE model_id = ?`).pluck().get(model);
      // An image deleted takes its vectors of both models.
      const gone = ids[1]!;
      db.prepare(`DELETE FROM image WHERE id = ?`).run(gone);
      expect(db.prepare(`SELECT count(*) FROM image_vector WHERE image_id = ?`).pluck().get(gone)).toBe(0);
      expect(count(CLIP)).toBe(IMAGES - 1);
      // A model removed takes its vectors, and only its own.
      removeModel(db, DESCRIPTOR);
      expect(count(DESCRIPTOR)).toBe(0);
      expect(count(CLIP)).toBe(IMAGES - 1);
    } finally {
      db.close();
    }
  });

  it('still bumps the sync change counter on a vector insert and update, and the vector write mark', () => {
    const db = openCatalog(file);
    try {
      const image = insertImages(db, 'new', 1)[0]!;
      const mark = vectorMark(db)!;
      let seq = counter(db);
      putVectors(db, CLIP, [{ imageId: image, vector: vector(1, DIM) }]);
      expect(counter(db)).toBe(seq + 1);
      expect(changeSeq(db, image)).toBe(seq + 1);
      const afterInsert = vectorMark(db)!;
      expect(sameVectors(mark, afterInsert)).toBe(false);
      // An upsert of a stored vector is an update: counted too.
      seq = counter(db);
      putVectors(db, CLIP, [{ imageId: ids[0]!, vector: vector(2, DIM) }]);
      expect(counter(db)).toBe(seq + 1);
      expect(changeSeq(db, ids[0]!)).toBe(seq + 1);
      expect(sameVectors(afterInsert, vectorMark(db)!)).toBe(false);
      expect(db.prepare(`SELECT count(*) FROM image_vector WHERE model_id = ? AND image_id = ?`).pluck().get(CLIP, ids[0])).toBe(1);
    } finally {
      db.close();
    }
  });

  it('is one transaction: a failure between two batches leaves the catalogue at version 20 with its rows', () => {
    const db = openCatalog(file, { migrateTo: 20 });
    try {
      // The third batch's delete fails, after two batches were moved.
      const prepare = db.prepare.bind(db);
      let deletes = 0;
      db.prepare = ((sql: string) => {
        const statement = prepare(sql);
        if (!sql.startsWith('DELETE FROM image_vector')) return statement;
        const run = statement.run.bind(statement);
        return Object.assign(statement, {
          run: (...args: unknown[]) => {
            if (++deletes === 3) throw new Error('disk gone');
            return run(...args);
          },
        });
      }) as Db['prepare'];
      expect(() => migrate(db)).toThrow('disk gone');
      db.prepare = prepare as Db['prepare'];
      expect(deletes).toBe(3);
      expect(db.pragma('user_version', { simple: true })).toBe(20);
      expect(db.prepare(`SELECT wr FROM pragma_table_list WHERE name = 'image_vector' AND schema = 'main'`).get()).toEqual({ wr: 1 });
      expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'image_vector_rows'`).pluck().get()).toBe(0);
      expect(storedRows(db)).toEqual(before.rows);
      expect(schemaOf(db, 'trigger')).toEqual(before.triggers);
    } finally {
      db.close();
    }
  });

  it('tells whoever opens the library, before it starts, what it is about to rewrite; once', async () => {
    const told: string[] = [];
    // The stats path: a reader finding an older catalogue brings it up to date first.
    const reader = Library.open(dir, { env: {}, access: 'read', onMigrating: (what) => told.push(what) });
    try {
      expect(told).toEqual([
        'updating the catalogue: rewriting its 3,750 stored vectors for faster search (once, about 1 s on a 2-core ' +
          'machine; stopping it is safe, it starts again the next time the library opens)',
      ]);
      expect(reader.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      await reader.close();
    }
    const owner = Library.open(dir, { env: {}, onMigrating: (what) => told.push(what) });
    await owner.close();
    expect(told).toHaveLength(1);
  });

  it('tells how far it is at each tenth of a large move, after its announcement', async () => {
    const large = makeTempDir();
    try {
      writeCatalogueBeforeVectorRows(large.dir, PROGRESS_FROM_VECTORS, 8);
      const told: string[] = [];
      const lib = Library.open(large.dir, { env: {}, onMigrating: (what) => told.push(what) });
      await lib.close();
      expect(told[0]).toMatch(/^updating the catalogue: rewriting its 50,000 stored vectors for faster search/);
      expect(told.slice(1)).toEqual(
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
          (tenth) =>
            `updating the catalogue: ${(tenth * 5000).toLocaleString('en-US')} of 50,000 stored vectors rewritten (${tenth * 10} %)`,
        ),
      );
    } finally {
      large.cleanup();
    }
  });

  it('says nothing for a catalogue without vectors', () => {
    const db = openCatalog(file, { migrateTo: 20 });
    db.prepare(`DELETE FROM image_vector`).run();
    const told: string[] = [];
    migrate(db, MIGRATIONS.length, (what) => told.push(what));
    db.close();
    expect(told).toEqual([]);
  });
});
