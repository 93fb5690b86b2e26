// Runs a transformers.js CLIP model folder on onnxruntime-node; lives inside the embed worker thread.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  env,
  RawImage,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Processor,
  type Tensor,
} from '@huggingface/transformers';
import { SporeprintError } from '../errors';
import { resizeForEmbedding } from './preprocess';
import { l2Normalize } from './provider';

export type ClipDtype = 'fp32' | 'fp16' | 'q8';

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
  vision?: Promise<{ model: PreTrainedModel; processor: Processor }>;
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
    AutoProcessor.from_pretrained(ref.modelDir, { local_files_only: true }),
  ])
    .then(([model, processor]) => ({ model, processor }))
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

/** Preprocessed pixel_values for a batch, exactly what the vision session receives (the bench reuses it). */
export async function pixelValues(ref: ClipModelRef, images: Uint8Array[]): Promise<Tensor> {
  const { processor } = await vision(ref);
  const raws = await Promise.all(
    images.map(async (bytes) => {
      const rgb = await resizeForEmbedding(bytes, ref.targetSize);
      return new RawImage(new Uint8ClampedArray(rgb.data.buffer, rgb.data.byteOffset, rgb.data.byteLength), rgb.width, rgb.height, 3);
    }),
  );
  const inputs = (await processor(raws)) as { pixel_values: Tensor };
  return inputs.pixel_values;
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
export function detectDtype(modelDir: string): ClipDtype | null {
  const candidates: [ClipDtype, string][] = [
    ['fp32', 'vision_model.onnx'],
    ['q8', 'vision_model_quantized.onnx'],
    ['fp16', 'vision_model_fp16.onnx'],
  ];
  for (const [dtype, file] of candidates) if (existsSync(path.join(modelDir, 'onnx', file))) return dtype;
  return null;
}

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
