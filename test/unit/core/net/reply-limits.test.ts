// Remote replies are capped per kind and bounded in total time, not only by an idle timeout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../../src-main/core/net/http-client';

let server: http.Server;
let base = '';
const hits: Record<string, number> = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits[req.url ?? ''] = (hits[req.url ?? ''] ?? 0) + 1;
    if (req.url === '/big.json') {
      // 2 MB of a JSON array, no Content-Length: only counting the bytes can stop it.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      for (let i = 0; i < 2048; i++) res.write(`${'1,'.repeat(511)}1${i < 2047 ? ',' : ''}`);
      res.end(']');
      return;
    }
    if (req.url === '/declared.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
      res.write('[');
      return; // never sends the rest: the declared length alone must be refused
    }
    if (req.url === '/trickle.jpg') {
      // One byte every 40 ms forever: never idle, never done.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const timer = setInterval(() => res.write('x'), 40);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({
    name: 'Test',
    userAgent: 'test',
    idleTimeoutMs: 2000,
    maxRetries: 1,
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    minIntervalMs: 0,
    breakerThreshold: 100,
    breakerCoolDownMs: 1000,
    ...extra,
  });
const signal = new AbortController().signal;

describe('reply limits', () => {
  it('refuses a JSON answer over its cap as soon as it passes it, without asking again', async () => {
    await expect(client({ maxJsonBytes: 1024 * 1024 }).getJson(`${base}/big.json`, signal)).rejects.toThrow(
      /Test: JSON answer is over the 1,048,576 byte limit/,
    );
    expect(hits['/big.json']).toBe(1);
    expect(await client().getJson(`${base}/ok.json`, signal)).toEqual({ ok: true });
  });

  it('refuses a declared length over the cap before reading the body', async () => {
    await expect(client({ maxJsonBytes: 1024 * 1024 }).getJson(`${base}/declared.json`, signal)).rejects.toThrow(
      /over the 1,048,576 byte limit/,
    );
  });

  it('stops a download that never goes idle but never ends, at the total time limit', async () => {
    const started = Date.now();
    await expect(
      client({ totalTimeoutMs: 400, maxRetries: 0 }).download(
        `${base}/trickle.jpg`,
        `${process.env.TMPDIR ?? '/tmp'}/sporeprint-trickle-${process.pid}.jpg`,
        signal,
      ),
    ).rejects.toThrow(/took longer than 400 ms in total \(limit\)/);
    // Bounded: well under the 2 s idle timeout it would otherwise never reach.
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
