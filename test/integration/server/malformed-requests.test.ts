// Malformed requests against a real server over a real library: each gets a 400 in words, before and after the
// token check, and the server keeps answering (each of these once killed `serve`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { tokenCookieName } from '../../../src-shared/transport';
import { rawRequest } from '../../fixtures/raw-http';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

describe('malformed requests', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let renderer: ReturnType<typeof makeTempDir>;
  let server: RunningServer;
  const get = (target: string, headers: [string, string][] = []) => rawRequest(server.port, { target, headers });
  const withToken = (): [string, string][] => [['x-sporeprint-token', server.token]];

  beforeAll(async () => {
    lib = openTempLibrary();
    renderer = makeTempDir('sporeprint-renderer-');
    server = await startServer(lib.lib, { rendererDir: renderer.dir });
  });
  afterAll(async () => {
    await server?.close();
    await lib?.cleanup();
    renderer?.cleanup();
  });

  async function expectAlive(): Promise<void> {
    const ok = await rawRequest(server.port, {
      method: 'POST',
      target: '/api/library.info',
      headers: [...withToken(), ['content-type', 'application/json']],
      body: '{}',
    });
    expect(ok.status).toBe(200);
  }

  it('answers 400 to a path that is not a URL path, before the token check', async () => {
    for (const target of ['//', '//evil.example/x', '///', '//?token=x']) {
      const response = await get(target);
      expect(response.status, target).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
    await expectAlive();
  });

  it('answers 400 to a malformed percent-encoded token cookie (another local site can set one)', async () => {
    const response = await get('/', [['cookie', `${tokenCookieName(server.port)}=%E0%A4%A`]]);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.message).toMatch(/cookie/);
    await expectAlive();
  });

  it('answers 400 to malformed percent-encoding in static and media paths, with the token', async () => {
    for (const target of ['/%E0%A4%A', '/media/%E0%A4%A', '/media/derivatives/%ZZ', '/assets/%']) {
      const response = await get(target, withToken());
      expect(response.status, target).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
    await expectAlive();
  });

  it('answers 400 to an API method name that is not valid percent-encoding', async () => {
    const response = await rawRequest(server.port, { method: 'POST', target: '/api/%E0%A4%A', headers: withToken(), body: '{}' });
    expect([400, 404]).toContain(response.status);
    await expectAlive();
  });
});
