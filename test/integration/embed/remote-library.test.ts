// A library configured for a lab's CLIP service: ingest embeds through it, text search uses it, and a dead
// service fails the ingest's embedding step with words that say what to do, without losing the images.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR_MODEL_ID } from '../../../src-main/core/embed/descriptor-provider';
import { startLoopbackServer, type LoopbackServer } from '../../fixtures/loopback-server';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const MODEL_ID = 'remote:clip-service:lab/bioclip';
let server: LoopbackServer;
let work: { dir: string; cleanup: () => void };

/** A deterministic 8-d "embedding" of a request body: equal inputs, equal vectors. */
function fakeEmbedding(body: Buffer): number[] {
  const h = createHash('sha256').update(body).digest();
  return Array.from({ length: 8 }, (_, i) => h[i]! - 128);
}

beforeAll(async () => {
  work = makeTempDir('sporeprint-remote-lib-');
  const bodies: Buffer[] = [];
  server = await startLoopbackServer((req, url) => {
    if (url.pathname !== '/embedding/image' && url.pathname !== '/embedding/text') return null;
    return { body: { embedding: fakeEmbedding(bodies.shift() ?? Buffer.alloc(0)) } };
  });
  // The loopback route sees no request body, so a small proxy in front records each body for the route.
  const http = (await import('node:http')).default;
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      const forward = http.request(`${server.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 500, r.headers);
        r.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as import('node:net').AddressInfo).port}`;
  closeProxy = () => new Promise<void>((r) => proxy.close(() => r()));
});

let proxyUrl: string;
let closeProxy: () => Promise<void>;

afterAll(async () => {
  await closeProxy();
  await server.close();
  work.cleanup();
});

describe('remote provider in a library', () => {
  it('embeds at ingest, answers text search, and keeps the images when the service dies', async () => {
    const { lib, cleanup } = openTempLibrary({ IMAGE_EMBEDDING_PROVIDER: 'remote', CLIP_ENDPOINT: proxyUrl, CLIP_MODEL: 'lab/bioclip' });
    try {
      const folder = path.join(work.dir, 'a', 'Amanita muscaria');
      mkdirSync(folder, { recursive: true });
      for (const s of [1, 2, 3]) writeFileSync(path.join(folder, `${s}.jpg`), await makePhoto(s, { width: 320, height: 240 }));
      expect((await ingestAndWait(lib, [path.dirname(folder)], { workers: 1 })).status).toBe('completed');
      const count = (m: string) => lib.db.prepare('SELECT count(*) FROM image_vector WHERE model_id = ?').pluck().get(m);
      expect(count(MODEL_ID)).toBe(3);
      expect(count(DESCRIPTOR_MODEL_ID)).toBe(3);
      const hits = await lib.invoke('search.text', { text: 'fly agaric', limit: 5 });
      expect(hits).toHaveLength(3);
      expect(server.requests.filter((r) => r.path === '/embedding/text')).toHaveLength(1);
      const own = await lib.invoke('search.image', { imageId: hits[1]!.imageId, modelId: MODEL_ID, limit: 1 });
      expect(own[0]!.imageId).toBe(hits[1]!.imageId);

      server.fault('/embedding/image', ...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 503 })));
      const more = path.join(work.dir, 'b', 'Boletus edulis');
      mkdirSync(more, { recursive: true });
      writeFileSync(path.join(more, '9.jpg'), await makePhoto(9, { width: 320, height: 240 }));
      const job = await ingestAndWait(lib, [path.dirname(more)], { workers: 1 });
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(
        /images were added, but embedding them with remote:clip-service:lab\/bioclip failed .*HTTP 503.*run `sporeprint embed`/,
      );
      expect(lib.db.prepare('SELECT count(*) FROM image').pluck().get()).toBe(4);
      expect(count(DESCRIPTOR_MODEL_ID)).toBe(4);
      expect(count(MODEL_ID)).toBe(3);
    } finally {
      await cleanup();
    }
  });
});
