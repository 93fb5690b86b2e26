// The Detail view's previous / next step, in-process: images.neighbours (both neighbours and the image's place in
// the listing) for images at evenly spaced depths, against one keyset page of the grid (the same listing's page
// of 200 after a cursor) measured on the same rows: the step should cost about a page, at any depth.
import { performance } from 'node:perf_hooks';
import { imageNeighboursSchema, imageQuerySchema, type ImageQuery } from '../../../src-shared/api/catalog';
import type { Db } from '../../../src-main/core/catalog/database';
import { imageNeighbours } from '../../../src-main/core/catalog/image-neighbours';
import { listImages } from '../../../src-main/core/catalog/image-pages';

export interface DetailStepResult {
  query: string;
  depths: number;
  neighboursMs: number;
  keysetPageMs: number;
}

export function measureDetailSteps(db: Db, label: string, query: Omit<ImageQuery, 'offset' | 'limit' | 'after' | 'ids'>, depths = 10) {
  const q = imageQuerySchema.parse({ ...query, limit: 200 });
  const total = listImages(db, q).total;
  let neighboursMs = 0;
  let pageMs = 0;
  for (let d = 1; d <= depths; d++) {
    const offset = Math.floor(((total - 201) * d) / depths);
    const [before, image] = listImages(db, { ...q, offset: offset - 1, limit: 2 }).items;
    const cursor = listImages(db, { ...q, offset: offset - 1, limit: 1 }).next;
    let t = performance.now();
    const step = imageNeighbours(db, imageNeighboursSchema.parse({ ...query, id: image!.id }));
    neighboursMs += performance.now() - t;
    t = performance.now();
    listImages(db, { ...q, after: cursor! });
    pageMs += performance.now() - t;
    // The step must be right, not only fast.
    if (step.previous !== before!.id || step.position !== offset + 1)
      throw new Error(`${label}: images.neighbours of the image at ${offset} is wrong (${JSON.stringify(step)})`);
  }
  return {
    query: label,
    depths,
    neighboursMs: +(neighboursMs / depths).toFixed(2),
    keysetPageMs: +(pageMs / depths).toFixed(2),
  } satisfies DetailStepResult;
}
