// The catalogue's better-sqlite3 binary per runtime, simulated: Node, Electron started from a checkout, a packaged app.
// The binaries loaded are real (this machine's Node build, copied where an Electron build would go).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../../src-main/core/catalog/database';
import {
  electronSqliteBinding,
  findSqlitePackage,
  isPackagedApp,
  sqliteNativeBinding,
  type NativeRuntime,
  type SqlitePackage,
} from '../../../../src-main/core/catalog/native-binding';
import { SporeprintError } from '../../../../src-main/core/errors';
import { makeTempDir } from '../../../fixtures/temp-library';

const require = createRequire(import.meta.url);
const nodeBuild = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

const scratch = makeTempDir('sporeprint-native-');
/** A node_modules of its own, so placing a binary never touches the shared install. */
const sqlite: SqlitePackage = { dir: path.join(scratch.dir, 'node_modules', 'better-sqlite3'), version: '12.11.1' };

const electronDev: NativeRuntime = {
  electron: '45.4.1',
  abi: '150',
  platform: 'linux',
  arch: 'x64',
  execPath: '/home/curator/sporeprint/node_modules/electron/dist/electron',
};
const node: NativeRuntime = { abi: '115', platform: 'linux', arch: 'x64', execPath: '/usr/bin/node' };

function missingError(run: () => unknown): SporeprintError {
  try {
    run();
  } catch (err) {
    if (err instanceof SporeprintError) return err;
    throw err;
  }
  throw new Error('expected NATIVE_MODULE_MISSING');
}

afterAll(() => scratch.cleanup());

describe('sqliteNativeBinding', () => {
  it('leaves Node to better-sqlite3 (its own build in node_modules)', () => {
    expect(sqliteNativeBinding(node, () => sqlite)).toBeUndefined();
  });

  it('under Electron from a checkout, names the missing Electron build and the command that fetches it', () => {
    const err = missingError(() => sqliteNativeBinding(electronDev, () => sqlite));
    expect(err.code).toBe('NATIVE_MODULE_MISSING');
    const expected = path.join(
      scratch.dir,
      'node_modules',
      '.sporeprint-native',
      'better-sqlite3-v12.11.1-electron-v150-linux-x64',
      'better_sqlite3.node',
    );
    expect(err.path).toBe(expected);
    expect(err.message).toContain(expected);
    expect(err.message).toContain('Electron 45.4.1 (ABI 150, linux-x64)');
    expect(err.message).toContain('npm run setup:desktop');
  });

  it('under Electron from a checkout, picks the separate build once placed, and better-sqlite3 loads it', () => {
    const file = electronSqliteBinding(sqlite, electronDev);
    mkdirSync(path.dirname(file), { recursive: true });
    // This machine's Node build stands in for the Electron one: the point is that the chosen file is what loads.
    copyFileSync(nodeBuild, file);
    const chosen = sqliteNativeBinding(electronDev, () => sqlite);
    expect(chosen).toBe(file);
    const db = new Database(':memory:', { nativeBinding: chosen });
    expect((db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v).toMatch(/^3\./);
    db.close();
    // The Node build is never the one chosen for Electron.
    expect(chosen).not.toBe(nodeBuild);
  });

  it('never takes a build for another Electron ABI, platform or better-sqlite3 version', () => {
    for (const other of [
      { ...electronDev, abi: '140' },
      { ...electronDev, arch: 'arm64' },
    ]) {
      expect(missingError(() => sqliteNativeBinding(other, () => sqlite)).code).toBe('NATIVE_MODULE_MISSING');
    }
    expect(missingError(() => sqliteNativeBinding(electronDev, () => ({ ...sqlite, version: '12.12.0' }))).code).toBe(
      'NATIVE_MODULE_MISSING',
    );
  });

  it('leaves a packaged app to the Electron build packaged with it (the executable is not named electron)', () => {
    for (const execPath of ['/opt/Sporeprint/sporeprint', '/Applications/Sporeprint.app/Contents/MacOS/Sporeprint']) {
      expect(isPackagedApp({ ...electronDev, execPath })).toBe(true);
      expect(sqliteNativeBinding({ ...electronDev, execPath }, () => sqlite)).toBeUndefined();
    }
    const windows = { ...electronDev, platform: 'win32' };
    expect(isPackagedApp({ ...windows, execPath: 'C:\\Program Files\\Sporeprint\\Sporeprint.exe' })).toBe(true);
    expect(isPackagedApp({ ...windows, execPath: 'C:\\src\\sporeprint\\node_modules\\electron\\dist\\electron.exe' })).toBe(false);
    expect(isPackagedApp({ ...electronDev, execPath: '/src/node_modules/electron/dist/Electron.app/Contents/MacOS/Electron' })).toBe(false);
    expect(isPackagedApp(node)).toBe(false);
  });

  it('finds the installed better-sqlite3', () => {
    const found = findSqlitePackage(import.meta.url);
    const manifest = JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')) as { version: string };
    expect(found.version).toBe(manifest.version);
    expect(path.dirname(nodeBuild).startsWith(found.dir)).toBe(true);
  });
});

describe('openCatalog per runtime', () => {
  const realExecPath = process.execPath;
  afterEach(() => {
    process.execPath = realExecPath;
    Reflect.deleteProperty(process.versions, 'electron');
  });

  it('opens with the Node build under Node', () => {
    const db = openCatalog(path.join(scratch.dir, 'node.db'));
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('under a simulated Electron from a checkout, refuses with the missing file instead of an ABI mismatch', () => {
    // This test process plays Electron: the worker thread of the app sees exactly these two values.
    Object.defineProperty(process.versions, 'electron', { value: '45.4.1', configurable: true, enumerable: true });
    process.execPath = '/home/curator/sporeprint/node_modules/electron/dist/electron';
    const err = missingError(() => openCatalog(path.join(scratch.dir, 'electron.db')));
    expect(err.code).toBe('NATIVE_MODULE_MISSING');
    expect(err.path).toBe(
      electronSqliteBinding(findSqlitePackage(), { abi: process.versions.modules, platform: process.platform, arch: process.arch }),
    );
    expect(err.message).toContain('npm run setup:desktop');
  });
});
