// Decides whether an HTTP request may be served: the Host header (no DNS rebinding) and the per-run token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER, TOKEN_QUERY, tokenCookieName } from '../../src-shared/transport';

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

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * API calls (POST) must carry the token in a header, which a cross-site form or image cannot set.
 * GETs the browser makes by itself (page, assets, <img>, EventSource) may use the query parameter or the cookie.
 */
export function checkRequest(req: IncomingMessage, url: URL, port: number, token: string): GuardVerdict {
  if (!isAllowedHost(req.headers.host, port)) return { ok: false, status: 403, reason: 'host not allowed' };
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && sameToken(header, token)) return { ok: true, tokenFrom: 'header' };
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ok: false, status: 401, reason: `missing or wrong ${TOKEN_HEADER} header` };
  const query = url.searchParams.get(TOKEN_QUERY);
  if (query !== null && sameToken(query, token)) return { ok: true, tokenFrom: 'query' };
  const cookie = readCookie(req.headers.cookie, tokenCookieName(port));
  if (cookie !== undefined && sameToken(cookie, token)) return { ok: true, tokenFrom: 'cookie' };
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}
