// The HTTP glue over a real library: API round trip, validation errors in words, SSE progress, media, static files.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/model';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

describe('startServer', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let renderer: ReturnType<typeof makeTempDir>;
  let photos: string;
  let server: RunningServer;
  const api = (method: string, body: unknown, token = server.token) =>
    fetch(`${server.url}api/${method}`, {
      method: 'POST',
      headers: { 'x-sporeprint-token': token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    lib = openTempLibrary();
    renderer = makeTempDir('sporeprint-renderer-');
    writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>Sporeprint</title>');
    mkdirSync(path.join(renderer.dir, 'assets'));
    writeFileSync(path.join(renderer.dir, 'assets', 'app.js'), 'console.log(1)');
    photos = path.join(renderer.dir, '..', `${path.basename(renderer.dir)}-photos`);
    mkdirSync(photos);
    for (const seed of [1, 2, 3]) writeFileSync(path.join(photos, `p${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    server = await startServer(lib.lib, { rendererDir: renderer.dir });
  });
  afterAll(async () => {
    await server?.close();
    await lib?.cleanup();
    renderer?.cleanup();
  });

  it('listens on 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.openUrl).toBe(`${server.url}?token=${encodeURIComponent(server.token)}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers an API call with its value', async () => {
    const response = await api('library.info', {});
    expect(response.status).toBe(200);
    const body = (await response.json()) as { value: { path: string } };
    expect(body.value.path).toBe(lib.dir);
  });

  it('validates input with the contract and reports the problem in words', async () => {
    const response = await api('images.get', { id: -3 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toMatch(/invalid input for images.get: id/);
    expect(body.error.issues[0]!.path).toBe('id');
    const unknown = await api('nope.nothing', {});
    expect(unknown.status).toBe(404);
    const notJson = await fetch(`${server.url}api/stats.get`, {
      method: 'POST',
      headers: { 'x-sporeprint-token': server.token },
      body: '{oops',
    });
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not JSON/);
  });

  it('streams job progress as server-sent events and serves the thumbnails the job made', async () => {
    const controller = new AbortController();
    const events = await fetch(`${server.url}events?token=${server.token}`, { signal: controller.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = events.body!.getReader();
    const seen: Job[] = [];
    const reading = (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) {
            const envelope = JSON.parse(data.slice(6)) as { event: string; payload: Job };
            if (envelope.event === 'job.progress') seen.push(envelope.payload);
            if (envelope.payload.status === 'completed') return;
          }
        }
      }
    })();
    const start = (await (await api('ingest.start', { paths: [photos], workers: 1 })).json()) as { value: { jobId: number } };
    await reading;
    controller.abort();
    expect(seen.at(-1)).toMatchObject({ id: start.value.jobId, status: 'completed', done: 3 });

    const list = (await (await api('images.list', {})).json()) as { value: { items: { thumbPath: string }[] } };
    const thumb = list.value.items[0]!.thumbPath;
    const withQuery = await fetch(`${server.url}media/${thumb}?token=${server.token}`);
    expect(withQuery.status).toBe(200);
    expect(withQuery.headers.get('content-type')).toBe('image/jpeg');
    expect((await withQuery.arrayBuffer()).byteLength).toBeGreaterThan(500);
    expect((await fetch(`${server.url}media/${thumb}`)).status).toBe(401);
    const traversal = await fetch(`${server.url}media/derivatives/%2e%2e/catalog.db?token=${server.token}`);
    expect(traversal.status).toBe(400);
  });

  it('serves the renderer with a CSP and remembers the token in a same-site cookie', async () => {
    const page = await fetch(server.openUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await fetch(`${server.url}assets/app.js`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log(1)');
    const escape = await fetch(`${server.url}%2e%2e/%2e%2e/etc/passwd?token=${server.token}`);
    expect(escape.status).toBe(404);
  });
});
