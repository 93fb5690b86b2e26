// Both transports implement the one Invoke type of the contract, and behave the same over a real library.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Invoke } from '../../../src-shared/api';
import type { LibraryStats } from '../../../src-shared/model';
import { ApiError } from '../../../src-renderer/app/api-error';
import { createHttpTransport } from '../../../src-renderer/app/http-transport';
import { createIpcTransport } from '../../../src-renderer/app/ipc-transport';
import type { Transport } from '../../../src-renderer/app/transport';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { libraryBridge } from '../../fixtures/library-bridge';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

describe('the API contract across transports', () => {
  it('types both transports with the same Invoke signature', () => {
    expectTypeOf(createIpcTransport).returns.toEqualTypeOf<Transport>();
    expectTypeOf(createHttpTransport).returns.toEqualTypeOf<Transport>();
    expectTypeOf<Transport['invoke']>().toEqualTypeOf<Invoke>();
    const invoke = null as unknown as Invoke;
    expectTypeOf(() => invoke('stats.get', {})).returns.resolves.toEqualTypeOf<LibraryStats>();
    // Wrong inputs and unknown methods do not compile (tsc checks these lines).
    // @ts-expect-error id must be a number
    void (() => invoke('images.get', { id: 'seven' }));
    // @ts-expect-error no such method
    void (() => invoke('images.delete', {}));
  });

  describe('at run time, over one real library', () => {
    let lib: ReturnType<typeof openTempLibrary>;
    let renderer: ReturnType<typeof makeTempDir>;
    let server: RunningServer;
    let transports: Transport[];
    beforeAll(async () => {
      lib = openTempLibrary();
      renderer = makeTempDir();
      server = await startServer(lib.lib, { rendererDir: renderer.dir });
      transports = [createIpcTransport(libraryBridge(lib.lib)), createHttpTransport({ baseUrl: server.url, token: server.token })];
    });
    afterAll(async () => {
      await server?.close();
      await lib?.cleanup();
      renderer?.cleanup();
    });

    it('returns equal values', async () => {
      const [ipc, http] = await Promise.all(transports.map((t) => t.invoke('stats.get', {})));
      expect(ipc).toEqual(http);
      expect(ipc!.images).toBe(0);
    });

    it('throws the same ApiError code and message', async () => {
      const errors = await Promise.all(
        transports.map((t) =>
          t.invoke('images.get', { id: 999 }).then(
            () => null,
            (e: unknown) => e,
          ),
        ),
      );
      for (const err of errors) expect(err).toBeInstanceOf(ApiError);
      const [ipc, http] = errors as ApiError[];
      expect(ipc!.code).toBe('NOT_FOUND');
      expect(http!.code).toBe(ipc!.code);
      expect(http!.message).toBe(ipc!.message);
    });

    it('names derivative files in a form each side can load', () => {
      const rel = `derivatives/ab/${'a'.repeat(64)}/thumb.jpg`;
      expect(transports[0]!.mediaUrl(rel)).toBe(`sporeprint-media://${rel}`);
      expect(transports[1]!.mediaUrl(rel)).toBe(`${server.url}media/${rel}`);
    });
  });
});
