// Error replies of `serve` as a client sees them, over the worker-hosted library serve uses: user errors are 4xx
// with a sentence, bodies too large or too deep are refused before they reach the library, replies stay small.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryClient } from '../../../src-main/host/library-client';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { HTTP_STATUS } from '../../../src-main/server/http-status';
import { MAX_BODY_BYTES } from '../../../src-main/server/json-body';
import { ERROR_CODES } from '../../../src-shared/model';
import { rawRequest } from '../../fixtures/raw-http';
import { makeTempDir } from '../../fixtures/temp-library';

describe('serve error replies', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let host: LibraryClient;
  let server: RunningServer;
  const call = (method: string, body: string) =>
    fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'x-sporeprint-token': server.token }, body });

  beforeAll(async () => {
    temp = makeTempDir();
    host = await LibraryClient.open(path.join(temp.dir, 'library'));
    server = await startServer(host, { rendererDir: path.join(temp.dir, 'no-renderer') });
  });
  afterAll(async () => {
    await server?.close();
    await host?.close();
    temp?.cleanup();
  });

  it('maps every error code to a status, 500 only for real faults', () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
    const faults = ERROR_CODES.filter((code) => HTTP_STATUS[code] === 500);
    expect(faults.sort()).toEqual(['INDEX_ERROR', 'INTERNAL', 'NATIVE_MODULE_MISSING']);
  });

  it('answers a missing model with 409 and the sentence saying what to do', async () => {
    const response = await call('search.text', JSON.stringify({ text: 'orange bracket' }));
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('MODEL_MISSING');
    expect(body.error.message.length).toBeGreaterThan(20);
  });

  it('answers an export into a folder that is not empty with 409', async () => {
    const out = path.join(temp.dir, 'taken');
    mkdirSync(out);
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const response = await call('export.start', JSON.stringify({ outDir: out }));
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not empty/);
  });

  it('refuses JSON nested deeper than an API input could be with 400, and the library keeps answering', async () => {
    const depth = 200_000;
    const response = await call('images.list', `${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/nests deeper than/);
    const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    expect((await call('images.list', deepObject)).status).toBe(400);
    expect((await call('library.info', '{}')).status).toBe(200);
  });

  it('refuses a body over the cap with 413 without reading it', async () => {
    const response = await rawRequest(server.port, {
      method: 'POST',
      target: '/api/images.list',
      headers: [
        ['x-sporeprint-token', server.token],
        ['content-length', String(MAX_BODY_BYTES + 1)],
      ],
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('never echoes a huge parameter: the reply to a 60 MB reference is a few kilobytes', async () => {
    // A fresh connection: building a 60 MB body can outlast the server's keep-alive wait for a reused one.
    const ref = 'x'.repeat(60 * 1024 * 1024);
    const response = await rawRequest(
      server.port,
      { method: 'POST', target: '/api/images.resolve', headers: [['x-sporeprint-token', server.token]], body: JSON.stringify({ ref }) },
      120_000,
    );
    expect(response.status).toBe(404);
    expect(response.bytes).toBeLessThan(10_000);
    expect(JSON.parse(response.body).error.message).toMatch(/more characters\)/);
  });
});
