// Which better-sqlite3 binary the catalogue loads: Node's own build, or a separate build for Electron's ABI.
// better-sqlite3 is built against V8 directly (not N-API), so one binary serves one runtime. node_modules keeps the
// Node build that the CLI and the tests load; `npm run setup:desktop` puts an Electron build beside it, never over it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SporeprintError } from '../errors';

/** What decides which native binary loads: the runtime, its ABI and the platform. */
export interface NativeRuntime {
  /** process.versions.electron; undefined under plain Node. */
  electron?: string;
  /** process.versions.modules: the ABI a V8 addon must be built for. */
  abi: string;
  platform: string;
  arch: string;
  /** process.execPath: tells the `electron` binary of a checkout from a packaged app. */
  execPath: string;
}

export function currentRuntime(): NativeRuntime {
  return {
    electron: process.versions.electron,
    abi: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
    execPath: process.execPath,
  };
}

/**
 * Electron's own `app.isPackaged` test (the executable is not named electron), usable in the library's worker
 * thread without importing electron. A packaged app's better-sqlite3 was built for Electron when it was packaged.
 */
export function isPackagedApp(runtime: NativeRuntime): boolean {
  if (!runtime.electron) return false;
  const executable = (runtime.execPath.split(/[\\/]/).pop() ?? '').toLowerCase();
  return runtime.platform === 'win32' ? executable !== 'electron.exe' : executable !== 'electron';
}

/** Beside the packages in node_modules, so a fresh `npm ci` removes it with the Electron binary it matches. */
export const ELECTRON_NATIVE_DIR = '.sporeprint-native';
export const SQLITE_BINARY = 'better_sqlite3.node';

export interface SqlitePackage {
  /** node_modules/better-sqlite3 */
  dir: string;
  version: string;
}

export interface NativeTarget {
  abi: string;
  platform: string;
  arch: string;
}

/** The installed better-sqlite3, resolved the way `import 'better-sqlite3'` from `from` would find it. */
export function findSqlitePackage(from: string = import.meta.url): SqlitePackage {
  const manifest = createRequire(from).resolve('better-sqlite3/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/** Named like the prebuilt tarball it comes from, so a better-sqlite3 or Electron upgrade never picks up a stale one. */
export function electronSqliteName(sqliteVersion: string, target: NativeTarget): string {
  return `better-sqlite3-v${sqliteVersion}-electron-v${target.abi}-${target.platform}-${target.arch}`;
}

/** Where `npm run setup:desktop` puts better-sqlite3 built for an Electron ABI. */
export function electronSqliteBinding(pkg: SqlitePackage, target: NativeTarget): string {
  return path.join(path.dirname(pkg.dir), ELECTRON_NATIVE_DIR, electronSqliteName(pkg.version, target), SQLITE_BINARY);
}

export const SETUP_DESKTOP_COMMAND = 'npm run setup:desktop';

/**
 * better-sqlite3's `nativeBinding` for this runtime. Undefined means its own lookup (node_modules/better-sqlite3/
 * build/Release): right under Node, and in a packaged app, whose copy was replaced by the Electron build when it
 * was packaged. Electron started from a checkout (`npm start`) needs the separate Electron build.
 */
export function sqliteNativeBinding(
  runtime: NativeRuntime = currentRuntime(),
  sqlite: () => SqlitePackage = findSqlitePackage,
): string | undefined {
  if (!runtime.electron || isPackagedApp(runtime)) return undefined;
  const file = electronSqliteBinding(sqlite(), runtime);
  if (!existsSync(file)) {
    throw new SporeprintError(
      'NATIVE_MODULE_MISSING',
      `better-sqlite3 built for Electron ${runtime.electron} (ABI ${runtime.abi}, ${runtime.platform}-${runtime.arch}) is missing; ` +
        `run \`${SETUP_DESKTOP_COMMAND}\` (offline: the README's "Desktop app offline" says which file to place here)`,
      file,
    );
  }
  return file;
}
