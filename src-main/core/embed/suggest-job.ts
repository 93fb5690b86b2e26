// Zero-shot taxon suggestions: CLIP text vectors of the taxon vocabulary against each image's vector.
import path from 'node:path';
import { parseIds, parseTexts } from '../catalog/parse-rows';
import { SporeprintError } from '../errors';
import { readRegularFileSync } from '../files/regular-file';
import { throwIfCancelled } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import { recordSuggestions } from '../labels/record-suggestions';
import { getVector, imagesMissingVectors } from '../vector/vector-store';
import { embedAndStore } from './embed-images';
import { dot } from './provider';
import { providers } from './provider-registry';

/** CLIP's learned temperature: cosine similarities are scaled by ~100 before the softmax. */
const LOGIT_SCALE = 100;
const PROMPT = (taxon: string) => `a photo of ${taxon}, a type of fungus`;
/** A taxon list is a few MB at most (every described fungus is ~150k names, ~5 MB). */
const MAX_VOCABULARY_BYTES = 32 * 1024 * 1024;

export interface SuggestParams {
  imageIds?: number[];
  vocabularyFile?: string;
  topK: number;
}

/** The library's taxa plus the lines of an optional list file (# comments), de-duplicated ignoring case. */
export function taxonVocabulary(ctx: LibraryContext, vocabularyFile?: string): string[] {
  const taxa = parseTexts(ctx.db.prepare('SELECT DISTINCT taxon FROM label ORDER BY taxon').pluck().all(), 'label taxa');
  if (vocabularyFile) {
    const file = path.resolve(vocabularyFile);
    const text = readRegularFileSync(file, 'the vocabulary file', MAX_VOCABULARY_BYTES).toString('utf8');
    taxa.push(
      ...text
        .split(/\r?\n/)
        .map((l) => l.replace(/#.*/, '').trim())
        .filter(Boolean),
    );
  }
  const seen = new Map<string, string>();
  for (const t of taxa) if (!seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  return [...seen.values()];
}

/** Softmax over scaled cosine similarities, top k. */
export function rankTaxa(
  image: Float32Array,
  taxa: string[],
  textVectors: Float32Array[],
  topK: number,
): { taxon: string; score: number }[] {
  const logits = textVectors.map((t) => dot(image, t) * LOGIT_SCALE);
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return taxa
    .map((taxon, i) => ({ taxon, score: exp[i]! / sum }))
    .sort((a, b) => b.score - a.score)
    .slice(0, topK);
}

export async function startSuggestJob(ctx: LibraryContext, params: SuggestParams): Promise<number> {
  const provider = await providers(ctx).requireTextProvider('taxon suggestion');
  const taxa = taxonVocabulary(ctx, params.vocabularyFile);
  if (taxa.length < 2) {
    throw new SporeprintError(
      'INVALID_INPUT',
      `suggestions need at least two taxa to choose from, found ${taxa.length}; ingest labelled folders or pass a vocabulary file`,
    );
  }
  const imageIds =
    params.imageIds ??
    parseIds(
      ctx.db
        .prepare(
          `SELECT i.id FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE l.state IS NULL OR l.state NOT IN ('human_verified') ORDER BY i.id`,
        )
        .pluck()
        .all(),
      'images to suggest for',
    );
  return ctx.jobs.start('suggest', { ...params, modelId: provider.modelId, taxa: taxa.length }, async (job) => {
    const textVectors = await provider.embedTextBatch(taxa.map(PROMPT));
    const wanted = new Set(imageIds);
    const missing = imagesMissingVectors(ctx.db, provider.modelId)
      .filter((r) => wanted.has(r.id))
      .map((r) => r.id);
    if (missing.length) await embedAndStore(ctx, provider, missing, { batchSize: ctx.config.IMAGE_BATCH_SIZE, signal: job.signal });
    let suggested = 0;
    let labelsUpdated = 0;
    const skipped: number[] = [];
    for (const [i, imageId] of imageIds.entries()) {
      throwIfCancelled(job.signal);
      const vector = getVector(ctx.db, provider.modelId, imageId);
      if (!vector) {
        skipped.push(imageId);
        continue;
      }
      const outcome = recordSuggestions(ctx.db, imageId, provider.modelId, rankTaxa(vector, taxa, textVectors, params.topK));
      suggested++;
      if (outcome.labelUpdated) labelsUpdated++;
      job.progress(i + 1, imageIds.length);
    }
    job.progress(imageIds.length, imageIds.length);
    if (labelsUpdated) ctx.emit('catalog.changed', { reason: 'suggest' });
    return { modelId: provider.modelId, taxa: taxa.length, suggested, labelsUpdated, skipped: skipped.length };
  });
}
