// An image's original as a web Response (status, headers, streamed body with one byte range), for the desktop app's
// sporeprint-media://original/<id>; chosen by image id through the library, never by a path from the request.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { toErrorPayload } from '../core/errors';
import type { ApiHost } from '../host/api-host';
import { parseByteRange, parseOriginalId } from './byte-range';
import { httpStatusOf } from './http-status';

export async function originalResponse(host: Pick<ApiHost, 'invoke'>, rest: string, rangeHeader: string | null): Promise<Response> {
  const id = parseOriginalId(rest);
  if (id === null) return new Response(`an original is asked for by image id (a number), not "${rest.slice(0, 80)}"`, { status: 400 });
  try {
    const file = await host.invoke('images.original', { id });
    const headers: Record<string, string> = { 'content-type': file.contentType, 'accept-ranges': 'bytes' };
    const range = parseByteRange(rangeHeader ?? undefined, file.size);
    if (range === 'unsatisfiable')
      return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${file.size}` } });
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    headers['content-length'] = String(end - start + 1);
    if (range) headers['content-range'] = `bytes ${start}-${end}/${file.size}`;
    const body = file.size === 0 ? null : (Readable.toWeb(createReadStream(file.path, { start, end })) as ReadableStream<Uint8Array>);
    return new Response(body, { status: range ? 206 : 200, headers });
  } catch (err) {
    const payload = toErrorPayload(err);
    return new Response(payload.message, { status: httpStatusOf(err) });
  }
}
