// The request target of an HTTP request, split and percent-decoded without ever throwing past the caller:
// anything that is not a plain origin-form path is refused as a bad request (400).
import { HttpRefusal } from './http-status';

export interface RequestTarget {
  /** The raw (still percent-encoded) path, always starting with a single "/". */
  pathname: string;
  searchParams: URLSearchParams;
}

/**
 * Parses `req.url`. The WHATWG URL parser is not used on purpose: it reads "//host/x" and "/\\host" as another
 * origin and throws on some inputs, while the server only needs the path and the query of this origin.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget {
  const target = raw ?? '/';
  if (!target.startsWith('/')) throw new HttpRefusal(400, 'the request target must be a path starting with /');
  const queryAt = target.indexOf('?');
  const pathname = queryAt >= 0 ? target.slice(0, queryAt) : target;
  if (pathname.startsWith('//')) throw new HttpRefusal(400, 'the request path must not start with //');
  if (pathname.includes('\\')) throw new HttpRefusal(400, 'the request path must not contain a backslash');
  // URLSearchParams never throws: a malformed escape in the query decodes to replacement characters.
  return { pathname, searchParams: new URLSearchParams(queryAt >= 0 ? target.slice(queryAt + 1) : '') };
}

/** decodeURIComponent that answers a malformed escape (%E0%A4%A, %ZZ) with a 400 naming what was malformed. */
export function decodePercent(encoded: string, what: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HttpRefusal(400, `${what} is not valid percent-encoding`);
  }
}
