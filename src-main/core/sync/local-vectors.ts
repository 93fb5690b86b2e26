// Reads a batch's vectors from the catalogue for the push: the float32 bytes as stored, checked, per image id.
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { readVectorBlobs } from '../vector/vector-store';
import type { LocalImageRow } from './local-changes';

/**
 * The batch's vectors of `model`, in one statement by id. (A range scan of the batch's ids was tried: before
 * migration 021 it read ~3x faster than lookups by id, the vectors then in overflow pages read out of order; on the
 * rowid table it is no faster for a dense batch and ~2x slower where the batch holds 60 % of its range, at 100k.)
 */
export function readVectors(db: Db, images: LocalImageRow[], model: string): Map<number, Buffer> {
  const vectors = new Map<number, Buffer>();
  for (const { imageId, vector } of readVectorBlobs(
    db,
    model,
    images.map((i) => i.id),
  )) {
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
