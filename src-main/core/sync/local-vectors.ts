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

/**
 * The batch's vectors of `model`, in one statement. (A range scan of the batch's ids was tried: before migration 021
 * it read ~3x faster than lookups by id, the vectors then in overflow pages read out of order; on the rowid table it
 * is no faster for a dense batch and ~2x slower where the batch holds 60 % of its range, measured at 100k.)
 */
export function readVectors(db: Db, images: LocalImageRow[], model: string, idsJson: string): Map<number, Buffer> {
  const rows = db.prepare(VECTORS_OF_IDS).raw(true).all(model, idsJson);
  const vectors = new Map<number, Buffer>();
  for (const row of rows) {
    const [imageId, vector] = checkVectorRow(row);
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
