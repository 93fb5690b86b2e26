// Remote embedding provider: a lab's CLIP service (POST /embedding/image, /embedding/text) or Ollama's
// /api/embeddings, with timeouts, retries (backoff + jitter) and a circuit breaker so a dead service fails fast.
import { bodyChunks, readCappedText, ReplyTooLargeError, REPLY_LIMITS } from '../net/reply-limits';
import { SporeprintError } from '../errors';
import { CircuitBreaker, type CircuitState } from '../net/circuit-breaker';
import { l2Normalize, type ImageEmbeddingProvider } from './provider';
import { withRetry } from './retry';

export type RemoteFlavour = 'clip-service' | 'ollama';

export interface RemoteProviderOptions {
  endpoint: string;
  flavour: RemoteFlavour;
  /** The model name sent to Ollama and part of the stored model id. */
  model: string;
  /** Known vector size; otherwise learned from the first answer and enforced after. */
  vectorSize?: number;
  timeoutMs?: number;
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  failureThreshold?: number;
  cooldownMs?: number;
}

/** An HTTP failure worth retrying (5xx, 429, timeout, connection refused, garbage body). */
class TransientError extends Error {}

export function remoteModelId(flavour: RemoteFlavour, model: string): string {
  return `remote:${flavour}:${model}`;
}

export class RemoteProvider implements ImageEmbeddingProvider {
  readonly kind = 'remote' as const;
  readonly supportsText = true;
  readonly modelId: string;
  private readonly breaker: CircuitBreaker;
  private size: number | undefined;
  private readonly endpoint: string;

  constructor(private readonly options: RemoteProviderOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.modelId = remoteModelId(options.flavour, options.model);
    this.size = options.vectorSize;
    this.breaker = new CircuitBreaker(`embedding service ${this.endpoint}`, {
      failureThreshold: options.failureThreshold ?? 5,
      coolDownMs: options.cooldownMs ?? 30_000,
      errorCode: 'PROVIDER_UNAVAILABLE',
    });
  }

  get vectorSize(): number {
    return this.size ?? 0;
  }

  get breakerState(): CircuitState {
    return this.breaker.state;
  }

  embedImage(bytes: Uint8Array): Promise<Float32Array> {
    if (this.options.flavour === 'ollama') {
      return this.request(
        '/api/embeddings',
        JSON.stringify({ model: this.options.model, prompt: '', images: [Buffer.from(bytes).toString('base64')] }),
        'application/json',
      );
    }
    return this.request('/embedding/image', bytes, 'application/octet-stream');
  }

  async embedImageBatch(images: Uint8Array[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const image of images) out.push(await this.embedImage(image));
    return out;
  }

  embedText(text: string): Promise<Float32Array> {
    if (this.options.flavour === 'ollama')
      return this.request('/api/embeddings', JSON.stringify({ model: this.options.model, prompt: text }), 'application/json');
    return this.request('/embedding/text', JSON.stringify({ text }), 'application/json');
  }

  async embedTextBatch(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const text of texts) out.push(await this.embedText(text));
    return out;
  }

  async close(): Promise<void> {}

  private async request(route: string, body: Uint8Array | string, contentType: string): Promise<Float32Array> {
    const url = `${this.endpoint}${route}`;
    try {
      return await withRetry(() => this.breaker.run(() => this.once(url, body, contentType)), {
        retries: this.options.retries ?? 3,
        baseDelayMs: this.options.baseDelayMs ?? 200,
        maxDelayMs: this.options.maxDelayMs ?? 5_000,
        shouldRetry: (err) => err instanceof TransientError,
      });
    } catch (err) {
      if (err instanceof SporeprintError) throw err;
      throw new SporeprintError('PROVIDER_UNAVAILABLE', `embedding service failed: ${(err as Error).message}`, url);
    }
  }

  private async once(url: string, body: Uint8Array | string, contentType: string): Promise<Float32Array> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const e = err as Error;
      throw new TransientError(
        e.name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs ?? 15_000} ms` : `cannot connect (${e.message})`,
      );
    }
    // Capped: a service that answers with gigabytes must not take the library's memory with it.
    const text = await readCappedText(
      bodyChunks(response),
      REPLY_LIMITS.jsonBytes,
      'embedding answer',
      response.headers.get('content-length'),
    ).catch((err: Error) => {
      if (err instanceof ReplyTooLargeError) throw new SporeprintError('PROVIDER_UNAVAILABLE', `embedding service: ${err.message}`, url);
      throw new TransientError(`connection dropped while reading the answer (${err.message})`);
    });
    if (response.status >= 500 || response.status === 429) throw new TransientError(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    if (!response.ok)
      throw new SporeprintError(
        'PROVIDER_UNAVAILABLE',
        `embedding service refused the request: HTTP ${response.status} ${text.slice(0, 200)}`,
        url,
      );
    return this.parse(text);
  }

  private parse(text: string): Float32Array {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TransientError(`answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
    }
    const raw = (json as { embedding?: unknown } | null)?.embedding;
    if (!Array.isArray(raw) || raw.length === 0 || !raw.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new TransientError('answer has no "embedding" array of finite numbers');
    }
    if (this.size !== undefined && raw.length !== this.size)
      throw new TransientError(`answer has ${raw.length} dimensions, expected ${this.size}`);
    this.size = raw.length;
    return l2Normalize(Float32Array.from(raw as number[]));
  }
}
