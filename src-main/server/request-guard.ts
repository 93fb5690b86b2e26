// Decides whether an HTTP request may be served: the Host header (no DNS rebinding) and the per-run token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER, TOKEN_QUERY, tokenCookieName } from '../../src-shared/transport';
import { HttpRefusal } from './http-status';

export type GuardVerdict = { ok: true; tokenFrom: 'header' | 'query' | 'cookie' } | { ok: false; status: 401 | 403; reason: string };

/** Only the loopback names of this very port: a rebinding attacker's hostname never matches. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Every value of cookie `name` (a browser sends one per path or domain that set it), percent-decoded; a value that is
 * not valid percent-encoding is reported apart, since any local site may set such a cookie for 127.0.0.1.
 */
export function readCookies(header: string | undefined, name: string): { values: string[]; malformed: number } {
  const found = { values: [] as string[], malformed: 0 };
  if (!header) return found;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      found.values.push(decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      found.malformed++;
    }
  }
  return found;
}

/** The first decodable value of cookie `name`. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  return readCookies(header, name).values[0];
}

/**
 * API calls (POST) must carry the token in a header, which a cross-site form or image cannot set.
 * GETs the browser makes by itself (page, assets, <img>, EventSource) may use the query parameter or the cookie.
 */
export function checkRequest(req: IncomingMessage, url: { searchParams: URLSearchParams }, port: number, token: string): GuardVerdict {
  if (!isAllowedHost(req.headers.host, port)) return { ok: false, status: 403, reason: 'host not allowed' };
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && sameToken(header, token)) return { ok: true, tokenFrom: 'header' };
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ok: false, status: 401, reason: `missing or wrong ${TOKEN_HEADER} header` };
  const query = url.searchParams.get(TOKEN_QUERY);
  if (query !== null && sameToken(query, token)) return { ok: true, tokenFrom: 'query' };
  const cookies = readCookies(req.headers.cookie, tokenCookieName(port));
  if (cookies.values.some((cookie) => sameToken(cookie, token))) return { ok: true, tokenFrom: 'cookie' };
  // A token cookie spoilt by another local site is a malformed request, not a missing token.
  if (cookies.malformed > 0) throw new HttpRefusal(400, `the ${tokenCookieName(port)} cookie is not valid percent-encoding`);
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}
