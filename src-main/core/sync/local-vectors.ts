// Reads a batch's vectors from the catalogue for the push: the float32 bytes as stored, checked, per image id.
import type { Db } from '../catalog/database';
import { blob, integer, rawRowChecker } from '../catalog/row-columns';
import { SporeprintError } from '../errors';
import type { LocalImageRow } from './local-changes';

const checkVectorRow = rawRowChecker('sync batch vector', [
  ['image_id', integer],
  ['vector', blob],
] as const);

const VECTORS_OF_IDS = `SELECT image_id, vector FROM image_vector WHERE model_id = ? AND image_id IN (SELECT value FROM json_each(?))`;
const VECTORS_IN_RANGE = `SELECT image_id, vector FROM image_vector WHERE model_id = ? AND image_id BETWEEN ? AND ?`;

/**
 * The batch's vectors of `model`. Where its ids fill most of their range (a library pushed for the first time, in
 * the order it was ingested), one range scan of the (model, image) key reads them in key order: a lookup per id
 * cost ~3x as much (~30 us a 512-d vector, the vectors' overflow pages read out of order). Vectors in the range that
 * belong to no image of the batch are left out.
 */
export function readVectors(db: Db, images: LocalImageRow[], model: string, idsJson: string): Map<number, Buffer> {
  let low = Infinity;
  let high = -Infinity;
  for (const { id } of images) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  const dense = high - low + 1 <= 2 * images.length;
  const rows = dense
    ? db.prepare(VECTORS_IN_RANGE).raw(true).all(model, low, high)
    : db.prepare(VECTORS_OF_IDS).raw(true).all(model, idsJson);
  const inBatch = dense && high - low + 1 > images.length ? new Set(images.map((i) => i.id)) : null;
  const vectors = new Map<number, Buffer>();
  for (const row of rows) {
    const [imageId, vector] = checkVectorRow(row);
    if (inBatch && !inBatch.has(imageId)) continue;
    if (vector.byteLength % 4 !== 0) {
      const sha = images.find((i) => i.id === imageId)?.sha256;
      throw new SporeprintError(
        'SYNC_FAILED',
        `the ${model} vector of image ${sha} is ${vector.byteLength} bytes, not a whole number of float32 values`,
      );
    }
    vectors.set(imageId, vector);
  }
  return vectors;
}
