// The Electron glue over a real library. Electron cannot launch here, so only its registries (ipcMain,
// webContents, protocol) are stand-ins that record what the glue registers; the library and files are real.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope, InvokeEnvelope } from '../../../src-shared/transport';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_PICK_FOLDERS_CHANNEL } from '../../../src-shared/transport';
import sharp from 'sharp';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';

type IpcHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<InvokeEnvelope>;
const registry = vi.hoisted(() => ({
  ipc: new Map<string, IpcHandler>(),
  sent: [] as { url: string; channel: string; payload: unknown }[],
  contents: [] as { url: string }[],
  dialogs: [] as string[][],
  protocolHandler: null as null | ((request: Request) => Promise<Response>),
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: IpcHandler) => registry.ipc.set(channel, handler),
    removeHandler: (channel: string) => registry.ipc.delete(channel),
  },
  webContents: {
    getAllWebContents: () =>
      registry.contents.map((c) => ({
        isDestroyed: () => false,
        getURL: () => c.url,
        send: (channel: string, payload: unknown) => registry.sent.push({ url: c.url, channel, payload }),
      })),
  },
  dialog: {
    showOpenDialog: async (options: { properties: string[] }) => {
      registry.dialogs.push(options.properties);
      return { canceled: false, filePaths: ['/photos/2024', '/photos/2025'] };
    },
  },
  BrowserWindow: { fromWebContents: () => null },
  protocol: {
    registerSchemesAsPrivileged: () => undefined,
    handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => (registry.protocolHandler = handler),
  },
}));

const { bindIpc } = await import('../../../src-main/electron/ipc-binding');
const { handleMediaProtocol } = await import('../../../src-main/electron/media-protocol');
const { bindFolderPicker } = await import('../../../src-main/electron/folder-picker');

const RENDERER = 'file:///opt/sporeprint/resources/app.asar/out/renderer';
const SHA = 'cd'.padEnd(64, 'e');

describe('Electron IPC binding and media protocol', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let unbind: () => void;
  const call = (url: string, method: unknown, input: unknown) =>
    registry.ipc.get(IPC_INVOKE_CHANNEL)!({ senderFrame: { url } }, method, input);

  beforeAll(() => {
    lib = openTempLibrary();
    unbind = bindIpc(lib.lib, RENDERER);
    handleMediaProtocol(lib.lib);
    bindFolderPicker(RENDERER);
    mkdirSync(path.join(lib.dir, 'derivatives/cd', SHA), { recursive: true });
    writeFileSync(path.join(lib.dir, 'derivatives/cd', SHA, 'thumb.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  });
  afterAll(async () => {
    unbind();
    await lib.cleanup();
  });

  it('answers calls from the app renderer through Library.invoke', async () => {
    const result = await call(`${RENDERER}/index.html#/library`, 'library.info', {});
    expect(result).toMatchObject({ ok: true, value: { path: lib.dir } });
  });

  it('returns errors as data with their code: bad input, unknown method, untrusted frame', async () => {
    const invalid = await call(`${RENDERER}/index.html`, 'images.get', { id: 'x' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await call(`${RENDERER}/index.html`, 'fs.readFile', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'unknown method fs.readFile' } });
    const foreign = await call('https://evil.example/', 'library.info', {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'API call from an untrusted frame' } });
    const sibling = await call(`${RENDERER}-other/index.html`, 'library.info', {});
    expect(sibling).toMatchObject({ ok: false, error: { message: 'API call from an untrusted frame' } });
  });

  it('opens the folder picker for the app renderer only', async () => {
    type PickHandler = (event: { senderFrame: { url: string }; sender: unknown }) => Promise<string[]>;
    const pick = registry.ipc.get(IPC_PICK_FOLDERS_CHANNEL) as unknown as PickHandler;
    expect(await pick({ senderFrame: { url: 'https://evil.example/' }, sender: null })).toEqual([]);
    expect(registry.dialogs).toEqual([]);
    expect(await pick({ senderFrame: { url: `${RENDERER}/index.html` }, sender: null })).toEqual(['/photos/2024', '/photos/2025']);
    expect(registry.dialogs).toEqual([['openDirectory', 'multiSelections']]);
  });

  it('forwards library events only to the app renderer', () => {
    registry.contents.push({ url: `${RENDERER}/index.html` }, { url: 'https://elsewhere.example/' });
    lib.lib.emit('catalog.changed', { reason: 'test' });
    expect(registry.sent).toEqual([
      {
        url: `${RENDERER}/index.html`,
        channel: IPC_EVENT_CHANNEL,
        payload: { event: 'catalog.changed', payload: { reason: 'test' } } satisfies EventEnvelope,
      },
    ]);
  });

  it('serves derivatives over sporeprint-media:// and refuses anything else', async () => {
    const ok = await registry.protocolHandler!(new Request(`sporeprint-media://derivatives/cd/${SHA}/thumb.jpg`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    const missing = await registry.protocolHandler!(new Request(`sporeprint-media://derivatives/cd/${SHA}/large.jpg`));
    expect(missing.status).toBe(404);
    const escape = await registry.protocolHandler!(new Request('sporeprint-media://derivatives/cd/%2e%2e%2f%2e%2e%2fcatalog.db'));
    expect(escape.status).toBe(400);
  });

  it('serves an original by image id only, with byte ranges, converting a TIFF; refuses an unknown id or a path', async () => {
    const photos = path.join(lib.dir, '..', `${path.basename(lib.dir)}-originals`);
    mkdirSync(photos, { recursive: true });
    const jpeg = await makePhoto(77, { width: 2560, height: 1600 });
    writeFileSync(path.join(photos, 'wide.jpg'), jpeg);
    writeFileSync(
      path.join(photos, 'scan.tif'),
      await sharp(await makePhoto(78, { width: 900, height: 700 }))
        .tiff()
        .toBuffer(),
    );
    await ingestAndWait(lib.lib, [photos]);
    const idOf = async (file: string) => (await lib.lib.invoke('images.resolve', { ref: path.join(photos, file) })).id;
    const get = (rest: string, range?: string) =>
      registry.protocolHandler!(new Request(`sporeprint-media://original/${rest}`, range ? { headers: { range } } : {}));

    const whole = await get(String(await idOf('wide.jpg')));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await whole.arrayBuffer()).equals(jpeg)).toBe(true);
    const part = await get(String(await idOf('wide.jpg')), 'bytes=10-19');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${jpeg.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(jpeg.subarray(10, 20))).toBe(true);
    expect((await get(String(await idOf('wide.jpg')), `bytes=${jpeg.length}-`)).status).toBe(416);

    // A TIFF, which no browser shows, arrives as a full-size JPEG with every pixel.
    const converted = await get(String(await idOf('scan.tif')));
    expect(converted.status).toBe(200);
    expect(converted.headers.get('content-type')).toBe('image/jpeg');
    expect(await sharp(Buffer.from(await converted.arrayBuffer())).metadata()).toMatchObject({ format: 'jpeg', width: 900, height: 700 });

    expect((await get('999999')).status).toBe(404);
    for (const rest of ['..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '1%2F..%2Fcatalog.db', '0', '-1', '1.5'])
      expect((await get(rest)).status, rest).toBe(400);
  }, 120_000);
});
