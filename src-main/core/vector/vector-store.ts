// The catalogue side of vectors: one float32 BLOB per image per model, the source of truth for every index.
import * as z from 'zod';
import type { Db } from '../catalog/database';
import { parseRow, parseRows } from '../catalog/parse-rows';
import { blob, integer, objectRowChecker } from '../catalog/row-columns';
import { cachedStatement } from '../catalog/statement-cache';
import { SporeprintError } from '../errors';

const modelRow = z.object({
  id: z.string(),
  kind: z.enum(['clip', 'descriptor', 'remote']),
  vectorSize: z.number().int(),
  path: z.string().nullable(),
});
export type ModelRow = z.output<typeof modelRow>;
export type ModelKind = ModelRow['kind'];
const listedModel = modelRow.extend({ vectorCount: z.number().int() });
const imageToEmbed = z.object({ id: z.number().int(), sha256: z.string() });
const digestRow = z.object({ count: z.number().int(), checksum: z.number().int() });
// An index rebuild streams every vector of a model: checked column by column rather than by zod.
const checkVectorRow = objectRowChecker('image vector', { imageId: integer, vector: blob });

export function toBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function fromBlob(blob: Buffer): Float32Array {
  // Copy: better-sqlite3 buffers may not be 4-byte aligned.
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

export function upsertModel(db: Db, model: ModelRow): void {
  const existing = getModel(db, model.id);
  if (existing && existing.vectorSize !== model.vectorSize) {
    throw new SporeprintError(
      'MODEL_INVALID',
      `model ${model.id} now produces ${model.vectorSize}-d vectors but ${existing.vectorSize}-d vectors are stored; remove it first`,
    );
  }
  db.prepare(
    `INSERT INTO embedding_model (id, kind, vector_size, path) VALUES (@id, @kind, @vectorSize, @path)
     ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, path = excluded.path`,
  ).run(model);
}

export function getModel(db: Db, id: string): ModelRow | undefined {
  return parseRow(
    modelRow,
    db.prepare('SELECT id, kind, vector_size AS vectorSize, path FROM embedding_model WHERE id = ?').get(id),
    'embedding model',
  );
}

export function listModels(db: Db): (ModelRow & { vectorCount: number })[] {
  const rows = db
    .prepare(
      `SELECT m.id, m.kind, m.vector_size AS vectorSize, m.path,
              (SELECT count(*) FROM image_vector v WHERE v.model_id = m.id) AS vectorCount
         FROM embedding_model m ORDER BY m.added_at, m.id`,
    )
    .all();
  return parseRows(listedModel, rows, 'embedding model');
}

export function removeModel(db: Db, id: string): void {
  db.prepare('DELETE FROM embedding_model WHERE id = ?').run(id);
}

export function putVectors(db: Db, modelId: string, items: { imageId: number; vector: Float32Array }[]): void {
  const model = getModel(db, modelId);
  if (!model) throw new SporeprintError('MODEL_MISSING', `model ${modelId} is not registered`);
  const insert = db.prepare(
    `INSERT INTO image_vector (model_id, image_id, vector) VALUES (?, ?, ?)
     ON CONFLICT(model_id, image_id) DO UPDATE SET vector = excluded.vector, created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  );
  db.transaction(() => {
    for (const { imageId, vector } of items) {
      if (vector.length !== model.vectorSize) {
        throw new SporeprintError(
          'INDEX_ERROR',
          `vector for image ${imageId} has ${vector.length} dimensions, ${modelId} has ${model.vectorSize}`,
        );
      }
      insert.run(modelId, imageId, toBlob(vector));
    }
  })();
}

export function getVector(db: Db, modelId: string, imageId: number): Float32Array | undefined {
  const row = db.prepare('SELECT image_id AS imageId, vector FROM image_vector WHERE model_id = ? AND image_id = ?').get(modelId, imageId);
  return row === undefined ? undefined : fromBlob(checkVectorRow(row).vector);
}

/**
 * The stored vectors of these images (those that have one), in one statement: a call per id costs ~17 us of driver
 * overhead. Prepared once per connection, as the int8 scan reads its few rows to rescore on every query.
 */
export function readVectorBlobs(db: Db, modelId: string, ids: Iterable<number>): { imageId: number; vector: Buffer }[] {
  return cachedStatement(
    db,
    'SELECT image_id AS imageId, vector FROM image_vector WHERE model_id = ? AND image_id IN (SELECT value FROM json_each(?))',
  )
    .all(modelId, JSON.stringify([...ids]))
    .map(checkVectorRow);
}

/** Every stored vector of a model, streamed in id order (an index rebuild reads 100k+ rows). */
export function* iterateVectors(db: Db, modelId: string): Generator<{ imageId: number; vector: Float32Array }> {
  const rows = db.prepare('SELECT image_id AS imageId, vector FROM image_vector WHERE model_id = ? ORDER BY image_id').iterate(modelId);
  for (const raw of rows) {
    const row = checkVectorRow(raw);
    yield { imageId: row.imageId, vector: fromBlob(row.vector) };
  }
}

/** Images that have no vector for the model yet (what a backfill embeds), in id order. */
export function imagesMissingVectors(db: Db, modelId: string, limit = -1): { id: number; sha256: string }[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.sha256 FROM image i
        WHERE NOT EXISTS (SELECT 1 FROM image_vector v WHERE v.model_id = ? AND v.image_id = i.id)
        ORDER BY i.id LIMIT ?`,
    )
    .all(modelId, limit);
  return parseRows(imageToEmbed, rows, 'image without a vector');
}

export interface IdDigest {
  count: number;
  /** Order-independent checksum of the ids: sum of a multiplicative hash, modulo 2^32. */
  checksum: number;
}

const HASH_MULTIPLIER = 2654435761;

/** The digest of a list of ids, computed the same way as catalogueDigest. */
export function idDigest(ids: Iterable<number>): IdDigest {
  let count = 0;
  let checksum = 0;
  for (const id of ids) {
    count++;
    // Math.imul wraps at 2^32 exactly like the SQL's modulo for ids below 2^32, without BigInt's cost.
    checksum = (checksum + (Math.imul(id, HASH_MULTIPLIER) >>> 0)) % 4294967296;
  }
  return { count, checksum };
}

export function catalogueDigest(db: Db, modelId: string): IdDigest {
  const row = db
    .prepare(
      `SELECT count(*) AS count, coalesce(sum((image_id * ${HASH_MULTIPLIER}) % 4294967296), 0) % 4294967296 AS checksum FROM image_vector INDEXED BY image_vector_model WHERE model_id = ?`,
    )
    .get(modelId);
  return parseRow(digestRow, row, 'vector digest')!;
}
