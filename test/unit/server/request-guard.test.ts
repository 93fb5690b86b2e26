// The serve guard: Host header allow-list, header token for API calls, query/cookie token for plain GETs.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpRefusal } from '../../../src-main/server/http-status';
import { checkRequest, isAllowedHost, readCookie, readCookies } from '../../../src-main/server/request-guard';
import { tokenCookieName } from '../../../src-shared/transport';

const PORT = 4321;
const TOKEN = 'secret-token-123';

function req(method: string, headers: Record<string, string>): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}
const url = (p: string) => new URL(p, `http://127.0.0.1:${PORT}`);

describe('isAllowedHost', () => {
  it('accepts only the loopback names of this port', () => {
    expect(isAllowedHost(`127.0.0.1:${PORT}`, PORT)).toBe(true);
    expect(isAllowedHost(`localhost:${PORT}`, PORT)).toBe(true);
    expect(isAllowedHost(`127.0.0.1:${PORT + 1}`, PORT)).toBe(false);
    expect(isAllowedHost(`evil.example:${PORT}`, PORT)).toBe(false);
    expect(isAllowedHost('127.0.0.1', PORT)).toBe(false);
    expect(isAllowedHost(undefined, PORT)).toBe(false);
  });
});

describe('checkRequest', () => {
  const host = { host: `127.0.0.1:${PORT}` };
  it('refuses a foreign Host even with the right token', () => {
    expect(
      checkRequest(req('POST', { host: `rebind.example:${PORT}`, 'x-sporeprint-token': TOKEN }), url('/api/stats.get'), PORT, TOKEN),
    ).toMatchObject({ ok: false, status: 403 });
  });
  it('lets API calls through only with the header token', () => {
    expect(checkRequest(req('POST', { ...host, 'x-sporeprint-token': TOKEN }), url('/api/stats.get'), PORT, TOKEN)).toEqual({
      ok: true,
      tokenFrom: 'header',
    });
    expect(checkRequest(req('POST', { ...host, 'x-sporeprint-token': 'wrong' }), url('/api/stats.get'), PORT, TOKEN)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkRequest(req('POST', host), url(`/api/stats.get?token=${TOKEN}`), PORT, TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(
      checkRequest(req('POST', { ...host, cookie: `${tokenCookieName(PORT)}=${TOKEN}` }), url('/api/stats.get'), PORT, TOKEN),
    ).toMatchObject({ ok: false, status: 401 });
  });
  it("lets GETs through with the query token or this port's cookie", () => {
    expect(checkRequest(req('GET', host), url(`/?token=${TOKEN}`), PORT, TOKEN)).toEqual({ ok: true, tokenFrom: 'query' });
    expect(
      checkRequest(req('GET', { ...host, cookie: `a=b; ${tokenCookieName(PORT)}=${TOKEN}` }), url('/assets/x.js'), PORT, TOKEN),
    ).toEqual({ ok: true, tokenFrom: 'cookie' });
    expect(
      checkRequest(req('GET', { ...host, cookie: `${tokenCookieName(PORT + 1)}=${TOKEN}` }), url('/assets/x.js'), PORT, TOKEN),
    ).toMatchObject({ ok: false, status: 401 });
    expect(checkRequest(req('GET', host), url('/?token=secret-token-12'), PORT, TOKEN)).toMatchObject({ ok: false, status: 401 });
  });
});

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('a=1; b=x%2By; c=3', 'b')).toBe('x+y');
    expect(readCookie('a=1', 'b')).toBeUndefined();
    expect(readCookie(undefined, 'b')).toBeUndefined();
  });
});

describe('a token cookie another local site spoilt', () => {
  const name = tokenCookieName(PORT);
  it('is counted apart instead of throwing', () => {
    expect(readCookies(`${name}=%E0%A4%A; ${name}=${TOKEN}`, name)).toEqual({ values: [TOKEN], malformed: 1 });
  });
  it('is a 400 when no other copy of the cookie holds the token, and harmless when one does', () => {
    const spoilt = { host: `127.0.0.1:${PORT}`, cookie: `${name}=%E0%A4%A` };
    expect(() => checkRequest(req('GET', spoilt), url('/'), PORT, TOKEN)).toThrow(HttpRefusal);
    expect(() => checkRequest(req('GET', spoilt), url('/'), PORT, TOKEN)).toThrow(/not valid percent-encoding/);
    const both = { ...spoilt, cookie: `${name}=%E0%A4%A; ${name}=${TOKEN}` };
    expect(checkRequest(req('GET', both), url('/'), PORT, TOKEN)).toEqual({ ok: true, tokenFrom: 'cookie' });
  });
});
