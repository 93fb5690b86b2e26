// Caps on what a remote service may send back, per kind of reply, and a total time limit per request: an idle
// timeout alone lets a server that trickles one byte a second (or streams a 10 GB "JSON" answer) hold us forever.
import { SporeprintError } from '../errors';

export const REPLY_LIMITS = {
  /** API answers (iNaturalist, GBIF, Commons pages, embedding vectors): far above any real page. */
  jsonBytes: 32 * 1024 * 1024,
  /** One model file (a ViT-L vision tower in fp32 is ~1.2 GB). */
  modelFileBytes: 4 * 1024 * 1024 * 1024,
  /** Total time for one API request or one photo download, body included. */
  requestTotalMs: 5 * 60_000,
  /** Total time for one model file. */
  modelFileTotalMs: 2 * 60 * 60_000,
} as const;

export class ReplyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    what: string,
  ) {
    super(`${what} is over the ${limit.toLocaleString('en')} byte limit`);
  }
}

/** Reads a body as text, refusing it as soon as it passes `limit` bytes (a declared length over it, at once). */
export async function readCappedText(
  body: AsyncIterable<Uint8Array>,
  limit: number,
  what: string,
  declaredLength: string | null = null,
): Promise<string> {
  if (declaredLength !== null && /^\d+$/.test(declaredLength) && Number(declaredLength) > limit) throw new ReplyTooLargeError(limit, what);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > limit) throw new ReplyTooLargeError(limit, what);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A fetch body as an async iterable of chunks (Node's web stream is one; the cast states it once here). */
export function bodyChunks(response: Response): AsyncIterable<Uint8Array> {
  if (!response.body) return (async function* () {})();
  return response.body as unknown as AsyncIterable<Uint8Array>;
}

/** The SporeprintError a caller reports when a whole request took longer than its total limit. */
export function totalTimeoutError(
  limitMs: number,
  what: string,
  url: string,
  code: 'SOURCE_FAILED' | 'PROVIDER_UNAVAILABLE',
): SporeprintError {
  return new SporeprintError(code, `${what} took longer than ${limitMs} ms in total (limit)`, url);
}
