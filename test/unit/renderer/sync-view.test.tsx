// @vitest-environment jsdom
// The Sync view's password field: in the desktop app it saves to the keychain (real keychain code over a safeStorage
// stand-in, as the preload + IPC channel would) and never through the library; in the browser it points to PGPASSWORD.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SporeprintBridge } from '../../../src-shared/transport';
import { SyncView } from '../../../src-renderer/views/sync/sync-view';
import { fakeSafeStorage } from '../../fixtures/fake-safe-storage';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

vi.mock('electron', () => ({ ipcMain: { handle: () => undefined, removeHandler: () => undefined } }));
const { createSyncKeychain } = await import('../../../src-main/electron/keychain');
const { applySyncPasswordRequest } = await import('../../../src-main/electron/sync-password-binding');

const SECRET = 'Boletus-edulis-7';
type Host = { sporeprint?: Partial<SporeprintBridge> };

describe('SyncView password field', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let userData: ReturnType<typeof makeTempDir>;
  let keychain: ReturnType<typeof createSyncKeychain>;
  beforeAll(() => {
    lib = openTempLibrary();
    userData = makeTempDir();
    keychain = createSyncKeychain({ safeStorage: fakeSafeStorage(), userDataDir: userData.dir, libraryDir: lib.dir });
  });
  afterEach(() => {
    cleanup();
    delete (globalThis as Host).sporeprint;
  });
  afterAll(async () => {
    await lib?.cleanup();
    userData?.cleanup();
  });

  it('in the browser (no keychain bridge) says the password comes from PGPASSWORD or ~/.pgpass', async () => {
    renderWithLibrary(lib.lib, <SyncView />);
    await screen.findByText(/comes from PGPASSWORD or ~\/\.pgpass on the machine running/);
    expect(screen.queryByLabelText('Database password')).toBeNull();
  });

  it('in the desktop app saves and forgets the password in the keychain, keyed by the URL typed above', async () => {
    const env = { USER: 'someone' };
    (globalThis as Host).sporeprint = {
      setSyncPassword: async (url, password) => applySyncPasswordRequest(keychain, { action: 'set', url, password }, env),
      forgetSyncPassword: async (url) => applySyncPasswordRequest(keychain, { action: 'forget', url }, env),
    };
    renderWithLibrary(lib.lib, <SyncView />);
    const save = await screen.findByRole('button', { name: 'Save' });
    expect(screen.getByText(/saved in the system keychain, never in the library/)).toBeTruthy();
    expect((save as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('PostgreSQL URL'), { target: { value: 'postgres://curator@lab-db/fungi' } });
    fireEvent.change(screen.getByLabelText('Database password'), { target: { value: SECRET } });
    fireEvent.click(save);
    await screen.findByText('Saved in the system keychain for curator@lab-db:5432/fungi');
    expect((screen.getByLabelText('Database password') as HTMLInputElement).value).toBe('');
    expect(await keychain.getPassword({ host: 'lab-db', port: 5432, database: 'fungi', user: 'curator' })).toBe(SECRET);
    const stored = JSON.stringify(lib.lib.db.prepare(`SELECT * FROM sync_state`).all());
    expect(stored).not.toContain(SECRET);

    fireEvent.click(screen.getByRole('button', { name: 'Forget' }));
    await screen.findByText('Forgotten for curator@lab-db:5432/fungi');
    expect(await keychain.getPassword({ host: 'lab-db', port: 5432, database: 'fungi', user: 'curator' })).toBeUndefined();
  });

  it('shows the keychain refusing a URL that carries a password', async () => {
    (globalThis as Host).sporeprint = {
      setSyncPassword: async (url, password) => applySyncPasswordRequest(keychain, { action: 'set', url, password }, {}),
      forgetSyncPassword: async (url) => applySyncPasswordRequest(keychain, { action: 'forget', url }, {}),
    };
    renderWithLibrary(lib.lib, <SyncView />);
    fireEvent.change(await screen.findByLabelText('PostgreSQL URL'), { target: { value: 'postgres://curator:oops@lab-db/fungi' } });
    fireEvent.change(screen.getByLabelText('Database password'), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Keychain: .*carries a password/);
  });
});
