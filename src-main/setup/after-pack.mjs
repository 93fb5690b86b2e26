// electron-builder's afterPack hook (package.json "build.afterPack"): see place-packaged-sqlite.ts.
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { placeElectronSqlite } = await import('./place-packaged-sqlite.ts');

// builder-util's Arch enum, by value.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function afterPack(context) {
  const placed = placeElectronSqlite(
    {
      appOutDir: context.appOutDir,
      platform: context.electronPlatformName,
      arch: ARCH_NAMES[context.arch] ?? String(context.arch),
      productFilename: context.packager.appInfo.productFilename,
    },
    root,
  );
  process.stdout.write(`  • better-sqlite3 for Electron placed  file=${path.relative(root, placed)}\n`);
}
