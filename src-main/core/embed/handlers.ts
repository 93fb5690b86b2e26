// API handlers of embeddings and search: models, backfill, text and image search, zero-shot suggestions.
import path from 'node:path';
import type { Handlers } from '../handler-types';
import { SporeprintError } from '../errors';
import { readRegularFile } from '../files/regular-file';
import type { LibraryContext } from '../library-context';
import { getVector } from '../vector/vector-store';
import { DESCRIPTOR_MODEL_ID } from './descriptor-provider';
import { startEmbedJob } from './embed-job';
import { imageBytesForEmbedding } from './embed-images';
import { assertModelId, listModelInfo } from './model-catalog';
import { importModel, installModel, removeModel, useModel } from './model-manager';
import { validateImage } from './preprocess';
import { providers } from './provider-registry';
import { nearestImages, toSearchHits, type SearchFilters } from './search-images';
import { startSuggestJob } from './suggest-job';

async function queryImageBytes(ctx: LibraryContext, input: { path?: string; bytesBase64?: string }): Promise<Uint8Array> {
  let bytes: Uint8Array;
  let where: string | undefined;
  if (input.path !== undefined) {
    where = path.resolve(input.path);
    bytes = await readRegularFile(where, 'the query image', ctx.config.IMAGE_MAX_SIZE_MB * 1024 * 1024);
  } else {
    bytes = Buffer.from(input.bytesBase64!, 'base64');
  }
  const valid = await validateImage(bytes, ctx.config.IMAGE_MAX_SIZE_MB);
  if (!valid.ok) throw new SporeprintError('CORRUPT_IMAGE', `query image: ${valid.error}`, where);
  return bytes;
}

export const searchHandlers: Handlers<
  | 'search.text'
  | 'search.image'
  | 'models.list'
  | 'models.use'
  | 'models.import'
  | 'models.install'
  | 'models.remove'
  | 'embed.start'
  | 'labels.suggest'
> = {
  'search.text': async (ctx, input) => {
    const provider = await providers(ctx).requireTextProvider('text search');
    const query = await provider.embedText(input.text);
    const filters: SearchFilters = input;
    return toSearchHits(ctx.db, await nearestImages(ctx, provider.modelId, query, filters));
  },
  'search.image': async (ctx, input) => {
    // The descriptor is the default image-to-image space: every ingested image has it, model or not.
    const modelId = input.modelId ?? DESCRIPTOR_MODEL_ID;
    const provider = await providers(ctx).get(modelId);
    let query: Float32Array | undefined;
    if (input.imageId !== undefined) {
      query = getVector(ctx.db, modelId, input.imageId);
      query ??= await provider.embedImage(await imageBytesForEmbedding(ctx.db, ctx.dir, input.imageId));
    } else {
      query = await provider.embedImage(await queryImageBytes(ctx, input));
    }
    return toSearchHits(ctx.db, await nearestImages(ctx, modelId, query, input));
  },
  'models.list': (ctx) => listModelInfo(ctx.db, ctx.dir, ctx.config.CLIP_MODEL),
  'models.use': (ctx, input) => useModel(ctx, input.id),
  'models.import': (ctx, input) => importModel(ctx, input.folder, input.id),
  'models.install': (ctx, input) => {
    assertModelId(input.hubId);
    return { jobId: ctx.jobs.start('model-install', { hubId: input.hubId }, (job) => installModel(ctx, input.hubId, job)) };
  },
  'models.remove': (ctx, input) => removeModel(ctx, input.id),
  'embed.start': async (ctx, input) => ({ jobId: await startEmbedJob(ctx, input.modelId) }),
  'labels.suggest': async (ctx, input) => ({ jobId: await startSuggestJob(ctx, input) }),
};
