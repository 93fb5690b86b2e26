// `model install` against a loopback hub serving the tiny model: redirects, progress, sha256 verification.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/model';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';
import { writeTinyClipModel } from '../../fixtures/tiny-clip-model';

const HUB_ID = 'Xenova/clip-vit-base-patch32';
let modelDir: string;
let work: { dir: string; cleanup: () => void };
let server: http.Server;
let endpoint: string;
/** Files whose announced sha256 is wrong, to prove verification. */
const lying = new Set<string>();
const served: string[] = [];

beforeAll(async () => {
  work = makeTempDir('sporeprint-hub-');
  modelDir = writeTinyClipModel(path.join(work.dir, 'hub-model'), { seed: 3, dim: 24 });
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // Like the real hub: LFS files (.onnx) redirect to a CDN path that serves the bytes.
    const cdn = url.pathname.match(/^\/cdn\/(.+)$/);
    const hub = url.pathname.match(/^\/(.+?\/.+?)\/resolve\/main\/(.+)$/);
    const file = cdn ? cdn[1]! : hub && hub[1] === HUB_ID ? hub[2]! : null;
    const full = file ? path.join(modelDir, file) : '';
    if (!file || !existsSync(full)) {
      res.writeHead(404).end();
      return;
    }
    if (hub && file.endsWith('.onnx')) {
      const bytes = readFileSync(full);
      const sha = lying.has(file) ? '0'.repeat(64) : createHash('sha256').update(bytes).digest('hex');
      res.writeHead(302, { location: `/cdn/${file}`, 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(bytes.length) }).end();
      return;
    }
    const bytes = readFileSync(full);
    if (req.method === 'GET') served.push(file);
    res.writeHead(200, { 'content-length': String(bytes.length), etag: '"w-json"' });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  work.cleanup();
});

describe('models.install', () => {
  it('downloads with progress, verifies, loads and registers the model', async () => {
    const { lib, dir, cleanup } = openTempLibrary({ HF_ENDPOINT: endpoint });
    try {
      const progress: Job[] = [];
      lib.on('job.progress', (j) => progress.push(j));
      const job = await lib.waitForJob((await lib.invoke('models.install', { hubId: HUB_ID })).jobId);
      expect(job.status, job.error ?? '').toBe('completed');
      expect(job.kind).toBe('model-install');
      const bytes = [
        'config.json',
        'preprocessor_config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'special_tokens_map.json',
        'onnx/vision_model.onnx',
        'onnx/text_model.onnx',
      ]
        .map((f) => readFileSync(path.join(modelDir, f)).length)
        .reduce((a, b) => a + b, 0);
      expect(job.result).toMatchObject({ modelId: HUB_ID, vectorSize: 24, bytes });
      expect(job.total).toBe(bytes);
      expect(progress.at(-1)!.done).toBe(bytes);
      expect(served).toEqual(expect.arrayContaining(['onnx/vision_model.onnx', 'onnx/text_model.onnx']));
      expect(readFileSync(path.join(dir, 'models', HUB_ID, 'onnx/vision_model.onnx'))).toEqual(
        readFileSync(path.join(modelDir, 'onnx/vision_model.onnx')),
      );
      const models = await lib.invoke('models.list', {});
      // The default CLIP_MODEL is now installed, so it is active without `model use`.
      expect(models.find((m) => m.id === HUB_ID)).toMatchObject({ installed: true, active: true, vectorSize: 24 });
      expect(readdirSync(path.join(dir, 'models', '.staging'))).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('refuses a file whose sha256 differs from the one the hub announced, and installs nothing', async () => {
    lying.add('onnx/text_model.onnx');
    const { lib, dir, cleanup } = openTempLibrary({ HF_ENDPOINT: endpoint });
    try {
      const job = await lib.waitForJob((await lib.invoke('models.install', { hubId: HUB_ID })).jobId);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/onnx\/text_model.onnx has sha256 [0-9a-f]{64}, the hub says 0{64}/);
      expect(existsSync(path.join(dir, 'models', HUB_ID))).toBe(false);
      expect((await lib.invoke('models.list', {})).find((m) => m.id === HUB_ID)!.installed).toBe(false);
    } finally {
      lying.clear();
      await cleanup();
    }
  });

  it('fails clearly for an unknown repository and when the hub is unreachable', async () => {
    const { lib, cleanup } = openTempLibrary({ HF_ENDPOINT: endpoint });
    const offline = openTempLibrary({ HF_ENDPOINT: 'http://127.0.0.1:9' });
    try {
      const missing = await lib.waitForJob((await lib.invoke('models.install', { hubId: 'nobody/nothing' })).jobId);
      expect(missing.error).toMatch(/nobody\/nothing has no config.json/);
      const down = await offline.lib.waitForJob((await offline.lib.invoke('models.install', { hubId: HUB_ID })).jobId);
      expect(down.status).toBe('failed');
      expect(down.error).toMatch(/cannot reach the model hub at http:\/\/127.0.0.1:9 .*sporeprint model import/);
      await expect(lib.invoke('models.install', { hubId: '../etc' })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/not a valid model id/),
      });
    } finally {
      await offline.cleanup();
      await cleanup();
    }
  });
});
