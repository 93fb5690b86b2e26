// Runs a transformers.js CLIP model folder on onnxruntime-node; lives inside the embed worker thread.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  env,
  Tensor as TensorClass,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { SporeprintError } from '../errors';
import { resizeForEmbedding } from './preprocess';
import { l2Normalize } from './provider';

import { type ClipDtype } from './clip-dtype';

export type { ClipDtype } from './clip-dtype';

export interface ClipModelRef {
  modelDir: string;
  dtype: ClipDtype;
  targetSize: number;
}

export type EmbedTask =
  | ({ type: 'probe' } & ClipModelRef)
  | ({ type: 'images'; images: Uint8Array[] } & ClipModelRef)
  | ({ type: 'texts'; texts: string[] } & ClipModelRef);

export interface EmbedResult {
  vectors: Float32Array[];
  vectorSize: number;
}

interface Loaded {
  vision?: Promise<{ model: PreTrainedModel; norm: PixelNorm }>;
  text?: Promise<{ model: PreTrainedModel; tokenizer: PreTrainedTokenizer }>;
}

const loaded = new Map<string, Loaded>();

// Never reach for the network from the embedder: installs go through the model manager's downloader.
env.allowRemoteModels = false;
env.allowLocalModels = true;

function options(ref: ClipModelRef) {
  return { device: 'cpu' as const, dtype: ref.dtype, local_files_only: true };
}

function entry(ref: ClipModelRef): Loaded {
  let e = loaded.get(ref.modelDir);
  if (!e) {
    e = {};
    loaded.set(ref.modelDir, e);
  }
  return e;
}

function wrapLoadError(ref: ClipModelRef, what: string) {
  return (err: unknown): never => {
    throw new SporeprintError('MODEL_INVALID', `cannot load the ${what} model (${(err as Error).message})`, ref.modelDir);
  };
}

function vision(ref: ClipModelRef) {
  const e = entry(ref);
  e.vision ??= Promise.all([
    CLIPVisionModelWithProjection.from_pretrained(ref.modelDir, options(ref)),
    readFile(path.join(ref.modelDir, 'preprocessor_config.json'), 'utf8').then((text) =>
      pixelNorm(JSON.parse(text) as Record<string, unknown>),
    ),
  ])
    .then(([model, norm]) => ({ model, norm }))
    .catch(wrapLoadError(ref, 'vision'));
  return e.vision;
}

function text(ref: ClipModelRef) {
  const e = entry(ref);
  e.text ??= Promise.all([
    CLIPTextModelWithProjection.from_pretrained(ref.modelDir, options(ref)),
    AutoTokenizer.from_pretrained(ref.modelDir, { local_files_only: true }),
  ])
    .then(([model, tokenizer]) => ({ model, tokenizer }))
    .catch(wrapLoadError(ref, 'text'));
  return e.text;
}

function rows(tensor: Tensor, ref: ClipModelRef): EmbedResult {
  const [batch, size] = tensor.dims as [number, number];
  if (tensor.dims.length !== 2 || !size)
    throw new SporeprintError('MODEL_INVALID', `model output has shape [${tensor.dims.join(', ')}], expected [batch, dim]`, ref.modelDir);
  const data = tensor.data as Float32Array;
  const vectors: Float32Array[] = [];
  for (let i = 0; i < batch; i++) vectors.push(l2Normalize(Float32Array.from(data.subarray(i * size, (i + 1) * size))));
  return { vectors, vectorSize: size };
}

/** Normalisation constants from preprocessor_config.json (CLIP's defaults when a field is absent). */
interface PixelNorm {
  mean: number[];
  std: number[];
  rescale: number;
}

function pixelNorm(config: Record<string, unknown>): PixelNorm {
  const arr = (v: unknown, fallback: number[]) =>
    Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number') ? (v as number[]) : fallback;
  const normalize = config.do_normalize !== false;
  return {
    mean: normalize ? arr(config.image_mean, [0.48145466, 0.4578275, 0.40821073]) : [0, 0, 0],
    std: normalize ? arr(config.image_std, [0.26862954, 0.26130258, 0.27577711]) : [1, 1, 1],
    rescale: config.do_rescale === false ? 1 : typeof config.rescale_factor === 'number' ? config.rescale_factor : 1 / 255,
  };
}

/**
 * pixel_values [batch, 3, size, size] for a batch, exactly what the vision session receives (the bench
 * reuses it). The whole photo is letterboxed rather than centre-cropped (a bracket at the edge of the frame
 * still counts), then rescaled and normalised with the model's own constants.
 */
export async function pixelValues(ref: ClipModelRef, images: Uint8Array[]): Promise<Tensor> {
  const { norm } = await vision(ref);
  const size = ref.targetSize;
  const plane = size * size;
  const data = new Float32Array(images.length * 3 * plane);
  const rgbs = await Promise.all(images.map((bytes) => resizeForEmbedding(bytes, size)));
  const scale = [0, 1, 2].map((c) => norm.rescale / norm.std[c]!);
  const shift = [0, 1, 2].map((c) => norm.mean[c]! / norm.std[c]!);
  for (const [b, rgb] of rgbs.entries()) {
    const base = b * 3 * plane;
    for (let p = 0; p < plane; p++) {
      data[base + p] = rgb.data[p * 3]! * scale[0]! - shift[0]!;
      data[base + plane + p] = rgb.data[p * 3 + 1]! * scale[1]! - shift[1]!;
      data[base + 2 * plane + p] = rgb.data[p * 3 + 2]! * scale[2]! - shift[2]!;
    }
  }
  return new TensorClass('float32', data, [images.length, 3, size, size]);
}

export async function embedImages(ref: ClipModelRef, images: Uint8Array[]): Promise<EmbedResult> {
  const { model } = await vision(ref);
  const pixel_values = await pixelValues(ref, images);
  const out = (await model({ pixel_values })) as { image_embeds?: Tensor };
  if (!out.image_embeds) throw new SporeprintError('MODEL_INVALID', 'vision model has no image_embeds output', ref.modelDir);
  return rows(out.image_embeds, ref);
}

export async function embedTexts(ref: ClipModelRef, texts: string[]): Promise<EmbedResult> {
  const { model, tokenizer } = await text(ref);
  const inputs = tokenizer(texts, { padding: true, truncation: true });
  const out = (await model(inputs)) as { text_embeds?: Tensor };
  if (!out.text_embeds) throw new SporeprintError('MODEL_INVALID', 'text model has no text_embeds output', ref.modelDir);
  return rows(out.text_embeds, ref);
}

/** Which ONNX precision a folder holds, preferring full precision. */

export async function runEmbedTask(task: EmbedTask): Promise<EmbedResult> {
  switch (task.type) {
    case 'probe': {
      // A black image through the real path: proves the folder loads and tells us the vector size.
      const black = await import('sharp').then(({ default: sharp }) =>
        sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 0, g: 0, b: 0 } } })
          .png()
          .toBuffer(),
      );
      return embedImages(task, [new Uint8Array(black)]);
    }
    case 'images':
      return embedImages(task, task.images);
    case 'texts':
      return embedTexts(task, task.texts);
  }
}
