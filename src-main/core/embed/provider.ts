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

export { dot, l2Normalize } from '../vector/vector-math';
