// Which ONNX weights a CLIP model folder holds. Kept apart from clip-runtime.ts so that the main thread can
// inspect model folders without loading transformers.js and onnxruntime (they live in the embed worker).
import { existsSync } from 'node:fs';
import path from 'node:path';

export type ClipDtype = 'fp32' | 'fp16' | 'q8';

export function detectDtype(modelDir: string): ClipDtype | null {
  const candidates: [ClipDtype, string][] = [
    ['fp32', 'vision_model.onnx'],
    ['q8', 'vision_model_quantized.onnx'],
    ['fp16', 'vision_model_fp16.onnx'],
  ];
  for (const [dtype, file] of candidates) if (existsSync(path.join(modelDir, 'onnx', file))) return dtype;
  return null;
}
