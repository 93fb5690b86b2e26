// Installs (download), imports (copy a local folder), activates and removes CLIP models of a library.
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ModelInfo } from '../../../src-shared/model';
import { SporeprintError } from '../errors';
import { assertRegularFilesOnly } from '../files/regular-file';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import { MODELS_DIR } from '../library-paths';
import { indexes } from '../vector/index-registry';
import { getModel, removeModel as deleteModelRow, upsertModel } from '../vector/vector-store';
import { detectDtype } from './clip-dtype';
import { DESCRIPTOR_MODEL_ID } from './descriptor-provider';
import { LocalClipProvider } from './local-clip-provider';
import { assertModelId, listModelInfo, modelRelativeDir, setActiveModelSetting } from './model-catalog';
import { downloadModel } from './model-download';
import { providers } from './provider-registry';

function stagingDir(libraryDir: string): string {
  const dir = path.join(libraryDir, MODELS_DIR, '.staging', randomBytes(6).toString('hex'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Checks the folder layout transformers.js needs, naming the first thing missing. */
export function checkModelFolder(folder: string): void {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new SporeprintError('NOT_FOUND', 'model folder does not exist', folder);
  for (const file of ['config.json', 'preprocessor_config.json']) {
    if (!existsSync(path.join(folder, file))) throw new SporeprintError('MODEL_INVALID', `model folder has no ${file}`, folder);
  }
  if (!existsSync(path.join(folder, 'tokenizer.json')) && !existsSync(path.join(folder, 'tokenizer_config.json'))) {
    throw new SporeprintError('MODEL_INVALID', 'model folder has no tokenizer.json', folder);
  }
  if (!detectDtype(folder))
    throw new SporeprintError('MODEL_INVALID', 'model folder has no onnx/vision_model.onnx (or _quantized / _fp16)', folder);
}

/**
 * Loads a staged folder for real (worker, onnxruntime, one probe image) to learn its vector size, then moves
 * it into models/<id> and registers it. A folder that cannot embed is never installed.
 */
async function finalise(ctx: LibraryContext, staged: string, id: string, kindOfSource: string): Promise<ModelInfo> {
  checkModelFolder(staged);
  const existing = getModel(ctx.db, id);
  let provider: LocalClipProvider;
  try {
    provider = await LocalClipProvider.open({
      modelId: id,
      modelDir: staged,
      dtype: detectDtype(staged)!,
      targetSize: ctx.config.IMAGE_TARGET_SIZE,
      batchSize: ctx.config.IMAGE_BATCH_SIZE,
    });
  } catch (err) {
    rmSync(staged, { recursive: true, force: true });
    const reason = err instanceof SporeprintError ? err.reason : (err as Error).message;
    throw new SporeprintError('MODEL_INVALID', `${kindOfSource} is not a loadable CLIP model: ${reason}`);
  }
  const vectorSize = provider.vectorSize;
  await provider.close();
  await providers(ctx).drop(id);
  // New files under an old id may be new weights: old vectors would silently mix two spaces, so they go.
  if (existing) {
    await indexes(ctx).drop(id);
    deleteModelRow(ctx.db, id);
  }
  const relative = modelRelativeDir(id);
  const target = path.join(ctx.dir, relative);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(staged, target);
  upsertModel(ctx.db, { id, kind: 'clip', vectorSize, path: relative });
  return modelInfo(ctx, id);
}

export function modelInfo(ctx: LibraryContext, id: string): ModelInfo {
  const info = listModelInfo(ctx.db, ctx.dir, ctx.config.CLIP_MODEL).find((m) => m.id === id);
  if (!info) throw new SporeprintError('NOT_FOUND', `no model ${id}`);
  return info;
}

export async function importModel(ctx: LibraryContext, folder: string, id?: string): Promise<ModelInfo> {
  const source = path.resolve(folder);
  checkModelFolder(source);
  assertRegularFilesOnly(source, 'the model folder');
  const modelId = id ?? path.basename(source);
  assertModelId(modelId);
  const staged = stagingDir(ctx.dir);
  // Links are copied as the files they name: the library's copy must not depend on (or point at) anything outside.
  cpSync(source, staged, { recursive: true, dereference: true });
  return finalise(ctx, staged, modelId, source);
}

export async function installModel(ctx: LibraryContext, hubId: string, job: JobContext): Promise<Record<string, unknown>> {
  assertModelId(hubId);
  const staged = stagingDir(ctx.dir);
  try {
    const { files, bytes } = await downloadModel({
      endpoint: ctx.config.HF_ENDPOINT,
      hubId,
      targetDir: staged,
      signal: job.signal,
      onProgress: (done, total) => job.progress(done, total),
    });
    const info = await finalise(ctx, staged, hubId, `download of ${hubId}`);
    return { modelId: info.id, vectorSize: info.vectorSize, files, bytes };
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

export function useModel(ctx: LibraryContext, id: string): ModelInfo {
  if (id !== DESCRIPTOR_MODEL_ID) {
    const info = listModelInfo(ctx.db, ctx.dir, ctx.config.CLIP_MODEL).find((m) => m.id === id);
    if (!info?.installed) {
      throw new SporeprintError(
        'MODEL_MISSING',
        `model ${id} is not installed. Run \`sporeprint model install ${id}\` (online) or \`sporeprint model import <folder> --id ${id}\``,
      );
    }
  }
  // The previous model's vectors and index stay: switching back is instant, and nothing mixes spaces.
  setActiveModelSetting(ctx.db, id);
  return modelInfo(ctx, id);
}

/** Removes a model's files, vectors and index. The descriptor cannot be removed (it is rebuilt at ingest). */
export async function removeModel(ctx: LibraryContext, id: string): Promise<{ removed: boolean }> {
  if (id === DESCRIPTOR_MODEL_ID) throw new SporeprintError('INVALID_INPUT', 'the built-in descriptor cannot be removed');
  const row = getModel(ctx.db, id);
  if (!row) return { removed: false };
  await providers(ctx).drop(id);
  await indexes(ctx).drop(id);
  deleteModelRow(ctx.db, id);
  if (row.path) rmSync(path.join(ctx.dir, row.path), { recursive: true, force: true });
  return { removed: true };
}
