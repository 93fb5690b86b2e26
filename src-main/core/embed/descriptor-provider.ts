// The built-in descriptor as an embedding provider: similar-image search on a fresh install, before any CLIP
// model exists. The pixel arithmetic lives in imaging/descriptor.
import { SporeprintError } from '../errors';
import { describeImage, DESCRIPTOR_SIZE } from '../imaging/descriptor';
import type { ImageEmbeddingProvider } from './provider';

export { DESCRIPTOR_SIZE } from '../imaging/descriptor';
export const DESCRIPTOR_MODEL_ID = 'sporeprint/descriptor-v1';

export class DescriptorProvider implements ImageEmbeddingProvider {
  readonly modelId = DESCRIPTOR_MODEL_ID;
  readonly kind = 'descriptor' as const;
  readonly vectorSize = DESCRIPTOR_SIZE;
  readonly supportsText = false;

  embedImage(bytes: Uint8Array): Promise<Float32Array> {
    return describeImage(bytes);
  }

  embedImageBatch(images: Uint8Array[]): Promise<Float32Array[]> {
    return Promise.all(images.map((b) => describeImage(b)));
  }

  embedText(_text: string): Promise<Float32Array> {
    return Promise.reject(textUnsupported());
  }

  embedTextBatch(_texts: string[]): Promise<Float32Array[]> {
    return Promise.reject(textUnsupported());
  }

  async close(): Promise<void> {}
}

function textUnsupported(): SporeprintError {
  return new SporeprintError(
    'MODEL_MISSING',
    'text search needs a CLIP model; the built-in descriptor only compares images. Run `sporeprint model install Xenova/clip-vit-base-patch32` (online) or `sporeprint model import <folder>`',
  );
}
