// Sync passwords encrypted by the OS keychain (Electron safeStorage), kept in the app's user-data folder, never in a library.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SporeprintError } from '../core/errors';
import type { PasswordProvider } from '../core/sync/pg-connection';

/** The part of Electron's safeStorage the keychain uses; tests pass a stand-in. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. no real encryption. */
  getSelectedStorageBackend?(): string;
}

export interface KeychainOptions {
  safeStorage: SafeStorageLike;
  /** app.getPath('userData'), where the file lives unless that is inside the library (see keychainFolder). */
  userDataDir: string;
  /** The open library: the file never goes inside it, so a copied library never carries a password. */
  libraryDir?: string;
  platform?: NodeJS.Platform;
}

export type SyncTarget = Parameters<PasswordProvider>[0];

export const KEYCHAIN_FILE = 'sync-passwords.json';

interface KeychainFile {
  version: 1;
  /** base64 of safeStorage.encryptString(password), keyed by user@host:port/database. */
  entries: Record<string, string>;
}

/** The key one password is filed under: the same target from the URL field and from the sync job. */
export function keychainKey(target: SyncTarget): string {
  return `${target.user}@${target.host}:${target.port}/${target.database}`;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The folder of the password file: userData, or a sibling of the library when userData lies inside it (a packaged app
 * named Sporeprint has userData ~/.config/Sporeprint, which is also the default library folder).
 */
export function keychainFolder(userDataDir: string, libraryDir: string | undefined): string {
  if (libraryDir === undefined || !isInside(userDataDir, libraryDir)) return userDataDir;
  const library = path.resolve(libraryDir);
  return path.join(path.dirname(library), `${path.basename(library)}-keychain`);
}

export interface SyncKeychain {
  getPassword: PasswordProvider;
  setPassword(target: SyncTarget, password: string): void;
  forgetPassword(target: SyncTarget): void;
  readonly file: string;
}

export function createSyncKeychain(options: KeychainOptions): SyncKeychain {
  const { safeStorage } = options;
  const platform = options.platform ?? process.platform;
  const folder = keychainFolder(options.userDataDir, options.libraryDir);
  const file = path.join(folder, KEYCHAIN_FILE);

  function read(): KeychainFile {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw err;
    }
    const parsed = JSON.parse(text) as Partial<KeychainFile>;
    if (parsed.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null)
      throw new SporeprintError('INTERNAL', 'the sync password file is not one this version understands', file);
    return { version: 1, entries: parsed.entries };
  }

  function write(contents: KeychainFile): void {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // Written whole then renamed, so a crash never leaves half a file; readable by this user only.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, file);
  }

  function requireEncryption(): void {
    if (!safeStorage.isEncryptionAvailable())
      throw new SporeprintError(
        'INVALID_INPUT',
        'the system keychain is not available, so the password cannot be saved encrypted; use PGPASSWORD or ~/.pgpass instead',
      );
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text')
      throw new SporeprintError(
        'INVALID_INPUT',
        'no secret service (GNOME Keyring, KWallet) is running, so the password would be stored without real encryption; use PGPASSWORD or ~/.pgpass instead',
      );
  }

  return {
    file,
    getPassword(target) {
      const encrypted = read().entries[keychainKey(target)];
      if (encrypted === undefined) return undefined;
      if (!safeStorage.isEncryptionAvailable())
        throw new SporeprintError('SYNC_FAILED', `the system keychain is not available to decrypt the password for ${keychainKey(target)}`);
      return safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    },
    setPassword(target, password) {
      requireEncryption();
      const contents = read();
      contents.entries[keychainKey(target)] = safeStorage.encryptString(password).toString('base64');
      write(contents);
    },
    forgetPassword(target) {
      const contents = read();
      if (!(keychainKey(target) in contents.entries)) return;
      delete contents.entries[keychainKey(target)];
      write(contents);
    },
  };
}
