// Reads an API call's JSON body within bounds: a size cap (413) and a nesting cap (400), checked before parsing.
import type { IncomingMessage } from 'node:http';
import { HttpRefusal } from './http-status';

/** A query image travels base64-encoded (IMAGE_MAX_SIZE_MB 50 -> ~67 MB), so the cap sits above that. */
export const MAX_BODY_BYTES = 72 * 1024 * 1024;
/** API inputs nest a few levels; a body nesting deeper is not a call (it would only exhaust a recursive walker). */
export const MAX_JSON_DEPTH = 64;

export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  const text = Buffer.concat(chunks).toString('utf8');
  const depth = jsonNestingDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new HttpRefusal(400, `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpRefusal(400, `request body is not JSON: ${(err as Error).message}`);
  }
}

function tooLarge(maxBytes: number): HttpRefusal {
  return new HttpRefusal(413, `request body larger than ${maxBytes / 1048576} MB`);
}

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count); stops past the cap. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > MAX_JSON_DEPTH) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
