// Local CLIP provider: the main-thread face of the embed worker, batching images IMAGE_BATCH_SIZE at a time.
import { WorkerPool } from '../concurrency/worker-pool';
import { SporeprintError } from '../errors';
import type { ClipModelRef, EmbedResult, EmbedTask } from './clip-runtime';
import type { ImageEmbeddingProvider } from './provider';

export interface LocalClipOptions extends ClipModelRef {
  modelId: string;
  batchSize: number;
  /** Expected vector size (from the catalogue); checked against what the model produces. */
  vectorSize?: number;
}

export class LocalClipProvider implements ImageEmbeddingProvider {
  readonly kind = 'clip' as const;
  readonly supportsText = true;
  readonly modelId: string;
  private readonly ref: ClipModelRef;

  private constructor(
    private readonly options: LocalClipOptions,
    private readonly pool: WorkerPool<EmbedTask, EmbedResult>,
    readonly vectorSize: number,
  ) {
    this.modelId = options.modelId;
    this.ref = { modelDir: options.modelDir, dtype: options.dtype, targetSize: options.targetSize };
  }

  /** Starts the worker, loads the model and runs one probe image to learn (and check) the vector size. */
  static async open(options: LocalClipOptions): Promise<LocalClipProvider> {
    // One worker: onnxruntime already spreads one inference over the cores, two would fight for them.
    const pool = new WorkerPool<EmbedTask, EmbedResult>('embed-worker', 1);
    try {
      const probe = await pool.run({ type: 'probe', modelDir: options.modelDir, dtype: options.dtype, targetSize: options.targetSize });
      if (options.vectorSize !== undefined && probe.vectorSize !== options.vectorSize) {
        throw new SporeprintError(
          'MODEL_INVALID',
          `model produces ${probe.vectorSize}-d vectors but ${options.modelId} is recorded as ${options.vectorSize}-d`,
          options.modelDir,
        );
      }
      return new LocalClipProvider(options, pool, probe.vectorSize);
    } catch (err) {
      await pool.close();
      throw err;
    }
  }

  async embedImage(bytes: Uint8Array): Promise<Float32Array> {
    return (await this.embedImageBatch([bytes]))[0]!;
  }

  async embedImageBatch(images: Uint8Array[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < images.length; i += this.options.batchSize) {
      const batch = images.slice(i, i + this.options.batchSize);
      out.push(...this.checked(await this.pool.run({ type: 'images', ...this.ref, images: batch }), batch.length));
    }
    return out;
  }

  async embedText(text: string): Promise<Float32Array> {
    return (await this.embedTextBatch([text]))[0]!;
  }

  async embedTextBatch(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.options.batchSize) {
      const batch = texts.slice(i, i + this.options.batchSize);
      out.push(...this.checked(await this.pool.run({ type: 'texts', ...this.ref, texts: batch }), batch.length));
    }
    return out;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private checked(result: EmbedResult, expected: number): Float32Array[] {
    if (result.vectors.length !== expected)
      throw new SporeprintError(
        'MODEL_INVALID',
        `model returned ${result.vectors.length} vectors for ${expected} inputs`,
        this.options.modelDir,
      );
    if (result.vectorSize !== this.vectorSize) {
      throw new SporeprintError(
        'MODEL_INVALID',
        `model returned ${result.vectorSize}-d vectors, expected ${this.vectorSize}`,
        this.options.modelDir,
      );
    }
    return result.vectors;
  }
}
