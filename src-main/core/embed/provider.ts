// The one contract every embedding provider meets (local CLIP, remote service, built-in descriptor).

export type ProviderKind = 'clip' | 'descriptor' | 'remote';

export interface ImageEmbeddingProvider {
  readonly modelId: string;
  readonly kind: ProviderKind;
  readonly vectorSize: number;
  /** True when embedText/embedTextBatch are available (CLIP-style joint spaces). */
  readonly supportsText: boolean;
  /** Encoded image bytes (JPEG, PNG, WebP...) to an L2-normalised vector. */
  embedImage(bytes: Uint8Array): Promise<Float32Array>;
  embedImageBatch(images: Uint8Array[]): Promise<Float32Array[]>;
  embedText(text: string): Promise<Float32Array>;
  embedTextBatch(texts: string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Scales to unit length in place; a zero vector stays zero (it matches nothing rather than NaN). */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
