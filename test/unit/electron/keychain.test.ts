// The sync keychain and its IPC channel. Electron cannot launch here, so safeStorage is a stand-in that really
// encrypts (fixtures/fake-safe-storage) and ipcMain is a recording registry; the files are real.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_SYNC_PASSWORD_CHANNEL, type SyncPasswordReply } from '../../../src-shared/transport';
import { fakeSafeStorage } from '../../fixtures/fake-safe-storage';
import { makeTempDir } from '../../fixtures/temp-library';

type Handler = (event: { senderFrame: { url: string } | null }, input: unknown) => SyncPasswordReply;
const registry = vi.hoisted(() => ({ ipc: new Map<string, Handler>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => registry.ipc.set(channel, handler),
    removeHandler: (channel: string) => registry.ipc.delete(channel),
  },
}));

const { createSyncKeychain, keychainFolder, KEYCHAIN_FILE } = await import('../../../src-main/electron/keychain');
const { bindSyncPassword } = await import('../../../src-main/electron/sync-password-binding');

const TARGET = { host: 'lab-db.example', port: 5433, database: 'fungi', user: 'curator' };
const SECRET = 'Amanita-phalloides-42!';

describe('sync keychain (safeStorage stand-in)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let userData: string;
  beforeEach(() => {
    temp = makeTempDir();
    userData = path.join(temp.dir, 'userData');
  });
  afterEach(() => temp.cleanup());

  it('round-trips a password per target and keeps only ciphertext in the file', async () => {
    const keychain = createSyncKeychain({ safeStorage: fakeSafeStorage(), userDataDir: userData, platform: 'linux' });
    expect(await keychain.getPassword(TARGET)).toBeUndefined();
    keychain.setPassword(TARGET, SECRET);
    keychain.setPassword({ ...TARGET, database: 'other' }, 'second-secret');
    expect(keychain.file).toBe(path.join(userData, KEYCHAIN_FILE));
    expect(await keychain.getPassword(TARGET)).toBe(SECRET);
    expect(await keychain.getPassword({ ...TARGET, database: 'other' })).toBe('second-secret');
    expect(await keychain.getPassword({ ...TARGET, port: 5432 })).toBeUndefined();

    const text = readFileSync(keychain.file, 'utf8');
    expect(text).toContain('curator@lab-db.example:5433/fungi');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(text).not.toContain('second-secret');
    if (process.platform !== 'win32') expect(statSync(keychain.file).mode & 0o077).toBe(0);

    keychain.forgetPassword(TARGET);
    expect(await keychain.getPassword(TARGET)).toBeUndefined();
    expect(await keychain.getPassword({ ...TARGET, database: 'other' })).toBe('second-secret');
  });

  it('refuses to store when encryption is unavailable or only the basic_text store exists', () => {
    const unavailable = createSyncKeychain({ safeStorage: fakeSafeStorage({ available: false }), userDataDir: userData });
    expect(() => unavailable.setPassword(TARGET, SECRET)).toThrow(/system keychain is not available.*PGPASSWORD or ~\/\.pgpass/);
    const basic = createSyncKeychain({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }), userDataDir: userData, platform: 'linux' });
    expect(() => basic.setPassword(TARGET, SECRET)).toThrow(/without real encryption/);
    expect(existsSync(path.join(userData, KEYCHAIN_FILE))).toBe(false);
  });

  it('fails in words when a saved password cannot be decrypted any more', async () => {
    const storage = fakeSafeStorage();
    const keychain = createSyncKeychain({ safeStorage: storage, userDataDir: userData });
    keychain.setPassword(TARGET, SECRET);
    storage.available = false;
    await expect(async () => keychain.getPassword(TARGET)).rejects.toThrow(
      /not available to decrypt the password for curator@lab-db.example:5433\/fungi/,
    );
  });

  it('never puts the file inside the library folder', () => {
    const library = path.join(temp.dir, 'Sporeprint');
    expect(keychainFolder(userData, library)).toBe(userData);
    // A packaged app's userData (~/.config/Sporeprint) is also the default library folder.
    expect(keychainFolder(library, library)).toBe(path.join(temp.dir, 'Sporeprint-keychain'));
    expect(keychainFolder(path.join(library, 'nested'), library)).toBe(path.join(temp.dir, 'Sporeprint-keychain'));
    const keychain = createSyncKeychain({ safeStorage: fakeSafeStorage(), userDataDir: library, libraryDir: library });
    keychain.setPassword(TARGET, SECRET);
    expect(keychain.file.startsWith(`${library}${path.sep}`)).toBe(false);
    expect(existsSync(path.join(library, KEYCHAIN_FILE))).toBe(false);
  });
});

describe('sync password IPC channel', () => {
  const RENDERER = 'file:///opt/sporeprint/resources/app.asar/out/renderer';
  let temp: ReturnType<typeof makeTempDir>;
  let keychain: ReturnType<typeof createSyncKeychain>;
  let unbind: () => void;
  const call = (url: string, input: unknown) => registry.ipc.get(IPC_SYNC_PASSWORD_CHANNEL)!({ senderFrame: { url } }, input);
  const app = `${RENDERER}/index.html#/sync`;
  beforeEach(() => {
    temp = makeTempDir();
    keychain = createSyncKeychain({ safeStorage: fakeSafeStorage(), userDataDir: path.join(temp.dir, 'userData') });
    unbind = bindSyncPassword(keychain, RENDERER, { USER: 'someone' });
  });
  afterEach(() => {
    unbind();
    temp.cleanup();
  });

  it('saves and forgets under the key the sync job will look up', async () => {
    const url = 'postgres://curator@lab-db.example:5433/fungi?sslmode=require';
    expect(call(app, { action: 'set', url, password: SECRET })).toEqual({ ok: true, key: 'curator@lab-db.example:5433/fungi' });
    expect(await keychain.getPassword(TARGET)).toBe(SECRET);
    // Defaults as parseTargetUrl fills them: port 5432 and the user from the environment given to the binding.
    expect(call(app, { action: 'set', url: 'postgresql://lab-db.example/fungi', password: 'x' })).toEqual({
      ok: true,
      key: 'someone@lab-db.example:5432/fungi',
    });
    expect(call(app, { action: 'forget', url })).toEqual({ ok: true, key: 'curator@lab-db.example:5433/fungi' });
    expect(await keychain.getPassword(TARGET)).toBeUndefined();
  });

  it('validates input and refuses untrusted frames and URLs that carry a password', () => {
    const bad = [
      { action: 'set', url: 'postgres://curator@lab-db/fungi' },
      { action: 'set', url: 'postgres://curator@lab-db/fungi', password: '' },
      { action: 'set', url: 'postgres://curator@lab-db/fungi', password: 7 },
      { action: 'drop', url: 'postgres://curator@lab-db/fungi' },
      { action: 'forget', url: 'postgres://curator@lab-db/fungi', extra: true },
      'postgres://curator@lab-db/fungi',
      null,
    ];
    for (const input of bad) expect(call(app, input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(call(app, { action: 'set', url: 'https://lab-db/fungi', password: SECRET })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/not a PostgreSQL URL/) },
    });
    const withPassword = call(app, { action: 'set', url: 'postgres://curator:hunter2@lab-db/fungi', password: SECRET });
    expect(withPassword).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/carries a password/) },
    });
    expect(JSON.stringify(withPassword)).not.toContain('hunter2');
    for (const frame of ['https://evil.example/', `${RENDERER}-other/index.html`]) {
      expect(call(frame, { action: 'set', url: 'postgres://curator@lab-db/fungi', password: SECRET })).toMatchObject({
        ok: false,
        error: { message: 'keychain call from an untrusted frame' },
      });
    }
    expect(
      registry.ipc.get(IPC_SYNC_PASSWORD_CHANNEL)!({ senderFrame: null }, { action: 'forget', url: 'postgres://a@b/c' }),
    ).toMatchObject({
      ok: false,
    });
    expect(existsSync(keychain.file)).toBe(false);
  });
});
