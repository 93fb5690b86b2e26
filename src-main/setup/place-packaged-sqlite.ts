// Packaging: the packed app gets better-sqlite3's Electron build (fetched by setup:desktop and loaded inside Electron
// there) in place of the Node build copied from node_modules. node_modules itself is never rebuilt, so the CLI and the
// tests keep working after `npm run package` (electron-builder's npmRebuild would rebuild it in place for Electron).
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { electronSqliteBinding, findSqlitePackage, SETUP_DESKTOP_COMMAND, SQLITE_BINARY } from '../core/catalog/native-binding';
import { findElectronPackage } from '../core/runtime/electron-package';

export interface PackedApp {
  /** electron-builder's appOutDir, e.g. dist/linux-unpacked. */
  appOutDir: string;
  /** electron-builder's electronPlatformName: linux, darwin, mas, win32. */
  platform: string;
  arch: string;
  /** The app's file name on macOS (<name>.app). */
  productFilename: string;
}

/** Where the packaged app's better-sqlite3 loads its binary from (asarUnpack keeps it outside app.asar). */
export function packagedSqliteBinary(app: PackedApp): string {
  const resources =
    app.platform === 'darwin' || app.platform === 'mas'
      ? path.join(app.appOutDir, `${app.productFilename}.app`, 'Contents', 'Resources')
      : path.join(app.appOutDir, 'resources');
  return path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', SQLITE_BINARY);
}

/** Copies the Electron build into the packed app; refuses a target whose native modules this machine did not build. */
export function placeElectronSqlite(app: PackedApp, root: string, host = { platform: process.platform, arch: process.arch }): string {
  const hostPlatform = app.platform === 'mas' ? 'darwin' : app.platform;
  if (hostPlatform !== host.platform || app.arch !== host.arch) {
    throw new Error(
      `packaging for ${app.platform}-${app.arch} on ${host.platform}-${host.arch}: node_modules holds native modules built for this machine only; package on a ${app.platform}-${app.arch} machine`,
    );
  }
  const from = path.join(root, 'package.json');
  const electron = findElectronPackage(from);
  if (!electron) throw new Error(`the electron package is not installed in ${root}: run npm ci`);
  const source = electronSqliteBinding(findSqlitePackage(from), { abi: electron.abi, platform: host.platform, arch: host.arch });
  if (!existsSync(source))
    throw new Error(`better-sqlite3 for Electron ${electron.version} is missing (${source}): run ${SETUP_DESKTOP_COMMAND} first`);
  const target = packagedSqliteBinary(app);
  if (!existsSync(target)) throw new Error(`the packed app has no ${target}: is better-sqlite3 still in asarUnpack?`);
  copyFileSync(source, target);
  return target;
}
