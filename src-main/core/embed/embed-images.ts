// Embeds catalogued images with a provider and stores the vectors (catalogue first, then the index).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import type { Db } from '../catalog/database';
import { parseRow } from '../catalog/parse-rows';
import { SporeprintError } from '../errors';
import { throwIfCancelled } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import { derivativeRelativePath } from '../library-paths';
import { indexes } from '../vector/index-registry';
import { getModel, putVectors, upsertModel } from '../vector/vector-store';
import type { ImageEmbeddingProvider } from './provider';

export interface EmbedOutcome {
  embedded: number;
  failed: { imageId: number; error: string }[];
}

/**
 * The bytes a provider sees for an image: the 320 px derivative (decoded in a few ms, and larger than any
 * model input), or the original file when the derivative is gone.
 */
export async function imageBytesForEmbedding(db: Db, libraryDir: string, imageId: number): Promise<Uint8Array> {
  const found = db
    .prepare('SELECT i.sha256, (SELECT path FROM location WHERE image_id = i.id ORDER BY id LIMIT 1) AS path FROM image i WHERE i.id = ?')
    .get(imageId);
  const row = parseRow(z.object({ sha256: z.string(), path: z.string().nullable() }), found, 'image for embedding');
  if (!row) throw new SporeprintError('NOT_FOUND', `no image ${imageId}`);
  const derivative = path.join(libraryDir, derivativeRelativePath(row.sha256, 'small', 'jpeg'));
  if (existsSync(derivative)) return readFile(derivative);
  if (row.path && existsSync(row.path)) return readFile(row.path);
  throw new SporeprintError('NOT_FOUND', `image ${imageId} has neither its derivative nor its original file`, row.path ?? derivative);
}

export interface EmbedOptions {
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
  /** Called after each stored batch, e.g. to checkpoint a resumable job. */
  onBatch?: (imageIds: number[]) => void;
}

export async function embedAndStore(
  ctx: LibraryContext,
  provider: ImageEmbeddingProvider,
  imageIds: number[],
  options: EmbedOptions,
): Promise<EmbedOutcome> {
  const outcome: EmbedOutcome = { embedded: 0, failed: [] };
  for (let start = 0; start < imageIds.length; start += options.batchSize) {
    if (options.signal) throwIfCancelled(options.signal);
    const ids = imageIds.slice(start, start + options.batchSize);
    const ready: { imageId: number; bytes: Uint8Array }[] = [];
    for (const imageId of ids) {
      try {
        ready.push({ imageId, bytes: await imageBytesForEmbedding(ctx.db, ctx.dir, imageId) });
      } catch (err) {
        outcome.failed.push({ imageId, error: (err as Error).message });
      }
    }
    if (ready.length) {
      const vectors = await provider.embedImageBatch(ready.map((r) => r.bytes));
      const items = ready.map((r, i) => ({ imageId: r.imageId, vector: vectors[i]! }));
      await storeVectors(ctx, provider, items);
      outcome.embedded += items.length;
    }
    options.onBatch?.(ids);
    options.onProgress?.(Math.min(imageIds.length, start + ids.length));
  }
  return outcome;
}

/** Stores vectors a provider made, in the catalogue and in the model's index. */
export async function storeVectors(
  ctx: LibraryContext,
  provider: Pick<ImageEmbeddingProvider, 'modelId' | 'kind' | 'vectorSize'>,
  items: { imageId: number; vector: Float32Array }[],
): Promise<void> {
  // A remote provider learns its size from its first answer; the model is registered then.
  if (!getModel(ctx.db, provider.modelId))
    upsertModel(ctx.db, { id: provider.modelId, kind: provider.kind, vectorSize: provider.vectorSize, path: null });
  // Open (verify) the index before the catalogue changes, so a consistent saved index is reused.
  const index = await indexes(ctx).get(provider.modelId);
  putVectors(ctx.db, provider.modelId, items);
  index.add(items);
}
