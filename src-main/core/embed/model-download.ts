// Downloads a transformers.js model folder from a hub (HF_ENDPOINT) with byte progress and verification:
// every file's size, and its sha256 when the hub publishes one (LFS ETags), before anything is installed.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPLY_LIMITS, ReplyTooLargeError, totalTimeoutError } from '../net/reply-limits';
import { SporeprintError } from '../errors';

const REQUIRED_JSON = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL_JSON = ['special_tokens_map.json'];
/** ONNX variants in order of preference: full precision first, then 8-bit, then half. */
const ONNX_VARIANTS = ['', '_quantized', '_fp16'];

interface RemoteFile {
  name: string;
  url: string;
  size: number | null;
  sha256: string | null;
}

export interface DownloadOptions {
  endpoint: string;
  hubId: string;
  targetDir: string;
  signal?: AbortSignal;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

function fileUrl(endpoint: string, hubId: string, name: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${hubId}/resolve/main/${name}`;
}

function unreachable(endpoint: string, err: unknown): SporeprintError {
  return new SporeprintError(
    'PROVIDER_UNAVAILABLE',
    `cannot reach the model hub at ${endpoint} (${(err as Error).message}); offline, copy the model folder and run \`sporeprint model import <folder>\``,
  );
}

async function head(endpoint: string, hubId: string, name: string, signal?: AbortSignal): Promise<RemoteFile | null> {
  const url = fileUrl(endpoint, hubId, name);
  let response: Response;
  try {
    // Not followed: the hub's redirect to its CDN is where X-Linked-Etag (the LFS sha256) and X-Linked-Size live.
    response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location && !response.headers.get('x-linked-size')) {
      const target = await fetch(new URL(location, url), { method: 'HEAD', redirect: 'follow', signal });
      return describe(name, url, target.headers.get('content-length'), response.headers.get('x-linked-etag') ?? target.headers.get('etag'));
    }
  } catch (err) {
    throw unreachable(endpoint, err);
  }
  if (response.status === 404) return null;
  if (response.status >= 300 && response.status < 400)
    return describe(name, url, response.headers.get('x-linked-size'), response.headers.get('x-linked-etag'));
  if (!response.ok) throw new SporeprintError('PROVIDER_UNAVAILABLE', `model hub answered HTTP ${response.status} for ${name}`, url);
  return describe(
    name,
    url,
    response.headers.get('x-linked-size') ?? response.headers.get('content-length'),
    response.headers.get('x-linked-etag') ?? response.headers.get('etag'),
  );
}

function describe(name: string, url: string, size: string | null, etag: string | null): RemoteFile {
  const tag = (etag ?? '').replace(/^W\//, '').replace(/"/g, '');
  return { name, url, size: size ? Number(size) : null, sha256: /^[0-9a-f]{64}$/i.test(tag) ? tag.toLowerCase() : null };
}

/** Chooses the files to fetch: the JSON configs plus vision and text ONNX of the best available precision. */
async function planFiles(options: DownloadOptions): Promise<RemoteFile[]> {
  const { endpoint, hubId, signal } = options;
  const files: RemoteFile[] = [];
  for (const name of [...REQUIRED_JSON, ...OPTIONAL_JSON]) {
    const file = await head(endpoint, hubId, name, signal);
    if (file) files.push(file);
    else if (REQUIRED_JSON.includes(name))
      throw new SporeprintError(
        'MODEL_INVALID',
        `${hubId} has no ${name}; it is not a transformers.js CLIP model`,
        fileUrl(endpoint, hubId, name),
      );
  }
  for (const variant of ONNX_VARIANTS) {
    const vision = await head(endpoint, hubId, `onnx/vision_model${variant}.onnx`, signal);
    if (!vision) continue;
    const text = await head(endpoint, hubId, `onnx/text_model${variant}.onnx`, signal);
    return [...files, vision, ...(text ? [text] : [])];
  }
  throw new SporeprintError(
    'MODEL_INVALID',
    `${hubId} has no onnx/vision_model*.onnx; it is not a transformers.js CLIP model`,
    fileUrl(endpoint, hubId, 'onnx/'),
  );
}

async function fetchFile(
  file: RemoteFile,
  targetDir: string,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
): Promise<void> {
  let response: Response;
  // A total limit per file, body included: an idle timeout alone lets a trickling server hold the install forever.
  const total = AbortSignal.timeout(REPLY_LIMITS.modelFileTotalMs);
  const limit = file.size ?? REPLY_LIMITS.modelFileBytes;
  try {
    response = await fetch(file.url, { redirect: 'follow', signal: signal ? AbortSignal.any([signal, total]) : total });
  } catch (err) {
    if (signal?.aborted) throw new SporeprintError('CANCELLED', 'download was cancelled');
    if (total.aborted) throw totalTimeoutError(REPLY_LIMITS.modelFileTotalMs, `download of ${file.name}`, file.url, 'PROVIDER_UNAVAILABLE');
    throw new SporeprintError('PROVIDER_UNAVAILABLE', `download of ${file.name} failed (${(err as Error).message})`, file.url);
  }
  if (!response.ok || !response.body)
    throw new SporeprintError('PROVIDER_UNAVAILABLE', `model hub answered HTTP ${response.status} for ${file.name}`, file.url);
  const dest = path.join(targetDir, file.name);
  mkdirSync(path.dirname(dest), { recursive: true });
  const out = createWriteStream(dest);
  const hash = createHash('sha256');
  let received = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.byteLength;
      // The announced size when the hub gives one, else the cap for any model file.
      if (received > limit) throw new ReplyTooLargeError(limit, file.name);
      onBytes(chunk.byteLength);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } catch (err) {
    out.destroy();
    if (signal?.aborted) throw new SporeprintError('CANCELLED', 'download was cancelled');
    if (err instanceof ReplyTooLargeError) throw new SporeprintError('MODEL_INVALID', `download refused: ${err.message}`, file.url);
    if (total.aborted) throw totalTimeoutError(REPLY_LIMITS.modelFileTotalMs, `download of ${file.name}`, file.url, 'PROVIDER_UNAVAILABLE');
    throw new SporeprintError('PROVIDER_UNAVAILABLE', `download of ${file.name} was interrupted (${(err as Error).message})`, file.url);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  if (file.size !== null && received !== file.size) {
    throw new SporeprintError(
      'MODEL_INVALID',
      `${file.name} is ${received} bytes but the hub announced ${file.size}; download is incomplete`,
      file.url,
    );
  }
  const digest = hash.digest('hex');
  if (file.sha256 && digest !== file.sha256)
    throw new SporeprintError('MODEL_INVALID', `${file.name} has sha256 ${digest}, the hub says ${file.sha256}`, file.url);
  if (file.name.endsWith('.json')) {
    const { readFile } = await import('node:fs/promises');
    try {
      JSON.parse(await readFile(dest, 'utf8'));
    } catch {
      throw new SporeprintError('MODEL_INVALID', `${file.name} is not valid JSON`, file.url);
    }
  }
}

/** Downloads every file into targetDir; returns the file names and total bytes. */
export async function downloadModel(options: DownloadOptions): Promise<{ files: string[]; bytes: number }> {
  const files = await planFiles(options);
  const total = files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  let done = 0;
  options.onProgress?.(0, total);
  for (const file of files) {
    await fetchFile(file, options.targetDir, options.signal, (n) => {
      done += n;
      options.onProgress?.(done, Math.max(total, done));
    });
  }
  return { files: files.map((f) => f.name), bytes: done };
}
