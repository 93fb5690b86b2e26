// The polite HTTP client against a loopback server: retries, Retry-After, timeouts, truncation, breaker.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, parseRetryAfter, type HttpClientOptions } from '../../../../src-main/core/net/http-client';
import { SporeprintError } from '../../../../src-main/core/errors';
import { startLoopbackServer, type LoopbackServer } from '../../../fixtures/loopback-server';
import { makeTempDir } from '../../../fixtures/temp-library';

const FILE = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251));
let server: LoopbackServer;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  server = await startLoopbackServer((_req, url) => {
    if (url.pathname.startsWith('/json')) return { body: { ok: true, path: url.pathname } };
    if (url.pathname.startsWith('/file')) return { type: 'image/jpeg', body: FILE };
    return null;
  });
  tmp = makeTempDir('sporeprint-http-');
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});
afterEach(() => {
  server.requests.length = 0;
});

const options = (extra: Partial<HttpClientOptions> = {}): HttpClientOptions => ({
  name: 'Test service',
  userAgent: 'Sporeprint-test/1.0 (tests)',
  idleTimeoutMs: 300,
  maxRetries: 3,
  backoffBaseMs: 10,
  backoffMaxMs: 40,
  minIntervalMs: 0,
  breakerThreshold: 2,
  breakerCoolDownMs: 60_000,
  ...extra,
});
const signal = () => new AbortController().signal;
const hits = (p: string) => server.requests.filter((r) => r.path === p).length;

describe('HttpClient.getJson', () => {
  it('sends the User-Agent and parses JSON', async () => {
    const client = new HttpClient(options());
    expect(await client.getJson(`${server.url}/json/a`, signal())).toEqual({ ok: true, path: '/json/a' });
    expect(server.requests[0]!.userAgent).toBe('Sporeprint-test/1.0 (tests)');
  });

  it('retries 429 honouring Retry-After and 500 with backoff, then succeeds', async () => {
    server.fault('/json/b', { kind: 'status', status: 429, retryAfter: '1' }, { kind: 'status', status: 500 });
    const client = new HttpClient(options());
    const started = Date.now();
    expect(await client.getJson(`${server.url}/json/b`, signal())).toEqual({ ok: true, path: '/json/b' });
    expect(hits('/json/b')).toBe(3);
    const [first, second] = server.requests.filter((r) => r.path === '/json/b');
    // Retry-After: 1 means the second attempt waits a second, not the 10 ms backoff.
    // (Server-side receipt times jitter under load; 800 ms still tells Retry-After from a 10 ms backoff.)
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(800);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up after maxRetries with SOURCE_FAILED naming the service and URL', async () => {
    server.fault('/json/c', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
    const client = new HttpClient(options());
    const err = await client.getJson(`${server.url}/json/c`, signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SporeprintError);
    expect((err as SporeprintError).code).toBe('SOURCE_FAILED');
    expect((err as SporeprintError).message).toMatch(/Test service: HTTP 503.*after 4 attempts/);
    expect((err as SporeprintError).path).toBe(`${server.url}/json/c`);
    expect(hits('/json/c')).toBe(4);
  });

  it('does not retry a 404', async () => {
    const client = new HttpClient(options());
    await expect(client.getJson(`${server.url}/missing`, signal())).rejects.toThrow(/HTTP 404/);
    expect(hits('/missing')).toBe(1);
  });

  it('times out a response that stalls and retries it', async () => {
    server.fault('/json/slow', { kind: 'slow', delayMs: 5_000 });
    const client = new HttpClient(options());
    expect(await client.getJson(`${server.url}/json/slow`, signal())).toEqual({ ok: true, path: '/json/slow' });
    expect(hits('/json/slow')).toBe(2);
  });

  it('opens the circuit after repeated failures and then fails fast without calling', async () => {
    server.fault('/json/down', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })));
    const client = new HttpClient(options({ maxRetries: 1, breakerThreshold: 2 }));
    await expect(client.getJson(`${server.url}/json/down`, signal())).rejects.toThrow(/HTTP 500/);
    await expect(client.getJson(`${server.url}/json/down`, signal())).rejects.toThrow(/HTTP 500/);
    expect(client.breaker.state).toBe('open');
    const before = server.requests.length;
    await expect(client.getJson(`${server.url}/json/ok`, signal())).rejects.toThrow(/circuit open/);
    expect(server.requests.length).toBe(before);
  });

  it('sends requests through the rate limiter, one per interval', async () => {
    const client = new HttpClient(options({ minIntervalMs: 150 }));
    const started = Date.now();
    await Promise.all([1, 2, 3].map((i) => client.getJson(`${server.url}/json/r${i}`, signal())));
    // Three requests with 150 ms between slots cannot all be done sooner than two intervals.
    expect(Date.now() - started).toBeGreaterThanOrEqual(295);
    expect(server.requests).toHaveLength(3);
  });

  it('stops waiting when the job is cancelled', async () => {
    server.fault('/json/cancel', { kind: 'status', status: 429, retryAfter: '30' });
    const client = new HttpClient(options());
    const controller = new AbortController();
    const pending = client.getJson(`${server.url}/json/cancel`, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const err = await pending.catch((e: unknown) => e);
    expect((err as SporeprintError).code).toBe('CANCELLED');
    expect(client.breaker.state).toBe('closed');
  });
});

describe('HttpClient.download', () => {
  it('writes the file and its SHA-256', async () => {
    const client = new HttpClient(options());
    const dest = path.join(tmp.dir, 'a.jpg');
    const result = await client.download(`${server.url}/file/a`, dest, signal());
    expect(result.bytes).toBe(FILE.length);
    expect(readFileSync(dest).equals(FILE)).toBe(true);
    expect(result.contentType).toBe('image/jpeg');
  });

  it('retries a truncated body (Content-Length mismatch) and keeps only the complete file', async () => {
    server.fault('/file/b', { kind: 'truncate' });
    const client = new HttpClient(options());
    const dest = path.join(tmp.dir, 'b.jpg');
    await client.download(`${server.url}/file/b`, dest, signal());
    expect(hits('/file/b')).toBe(2);
    expect(readFileSync(dest).equals(FILE)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('never leaves a partial file when every attempt is truncated', async () => {
    server.fault('/file/c', ...Array.from({ length: 4 }, () => ({ kind: 'truncate' as const })));
    const client = new HttpClient(options());
    const dest = path.join(tmp.dir, 'c.jpg');
    await expect(client.download(`${server.url}/file/c`, dest, signal())).rejects.toThrow(/SOURCE_FAILED|truncated|terminated|closed/i);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('c.'))).toEqual([]);
  });

  it('refuses a file over the size limit without keeping it', async () => {
    const client = new HttpClient(options({ maxBytes: 1000 }));
    const dest = path.join(tmp.dir, 'd.jpg');
    await expect(client.download(`${server.url}/file/d`, dest, signal())).rejects.toThrow(/over the 1000 byte limit/);
    expect(hits('/file/d')).toBe(1);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('d.'))).toEqual([]);
  });
});

describe('HttpClient.download to a bad place', () => {
  it('fails once with the path it could not write, without retrying the server', async () => {
    const client = new HttpClient(options());
    const dest = path.join(tmp.dir, 'no-such-folder', 'e.jpg');
    await expect(client.download(`${server.url}/file/e`, dest, signal())).rejects.toThrow(/cannot write .*no-such-folder.*e\.jpg\.part/);
    expect(hits('/file/e')).toBe(1);
    expect(client.breaker.state).toBe('closed');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
