// Step 2 of the desktop setup: better-sqlite3 built for Electron's ABI, fetched with the prebuild-install that
// better-sqlite3's own install uses, unpacked in a scratch folder and moved beside node_modules (never over Node's build).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  electronSqliteBinding,
  electronSqliteName,
  SQLITE_BINARY,
  type NativeTarget,
  type SqlitePackage,
} from '../core/catalog/native-binding';
import { runNodeScript, type StepOutput } from './run-step';

export function sqliteTarballName(sqlite: SqlitePackage, target: NativeTarget): string {
  return `${electronSqliteName(sqlite.version, target)}.tar.gz`;
}

/** Where prebuild-install downloads from: npm_config_better_sqlite3_binary_host, else better-sqlite3's GitHub releases. */
export function sqliteDownloadUrl(sqlite: SqlitePackage, target: NativeTarget, env: NodeJS.ProcessEnv): string {
  const host = env.npm_config_better_sqlite3_binary_host ?? env.npm_config_better_sqlite3_binary_host_mirror;
  const base = host ? host.replace(/\/$/, '') : 'https://github.com/WiseLibs/better-sqlite3/releases/download';
  return `${base}/v${sqlite.version}/${sqliteTarballName(sqlite, target)}`;
}

export async function fetchElectronSqlite(
  sqlite: SqlitePackage,
  electronVersion: string,
  target: NativeTarget,
  options: { env: NodeJS.ProcessEnv; force: boolean; out: StepOutput },
): Promise<string> {
  const { out } = options;
  const dest = electronSqliteBinding(sqlite, target);
  if (existsSync(dest) && !options.force) {
    out.line(`  better-sqlite3 ${sqlite.version} for Electron: present (${dest})`);
    return dest;
  }
  const local = options.env.npm_config_better_sqlite3_local_prebuilds;
  out.line(
    `  better-sqlite3 ${sqlite.version} for Electron: ${local ? `from ${path.join(local, sqliteTarballName(sqlite, target))}` : `downloading ${sqliteDownloadUrl(sqlite, target, options.env)}`}`,
  );
  // prebuild-install unpacks into the package folder it runs in: a scratch copy, so Node's build stays as it is.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-sqlite-electron-'));
  try {
    writeFileSync(path.join(scratch, 'package.json'), readFileSync(path.join(sqlite.dir, 'package.json')));
    const prebuildInstall = createRequire(path.join(sqlite.dir, 'package.json')).resolve('prebuild-install/bin.js');
    const args = ['--runtime', 'electron', '--target', electronVersion, '--platform', target.platform, '--arch', target.arch, '--verbose'];
    const code = await runNodeScript(prebuildInstall, args, { cwd: scratch, env: options.env, out });
    const unpacked = path.join(scratch, 'build', 'Release', SQLITE_BINARY);
    if (code !== 0 || !existsSync(unpacked)) {
      throw new Error(
        `no prebuilt better-sqlite3 for Electron ${electronVersion} (ABI ${target.abi}, ${target.platform}-${target.arch}) could be fetched (prebuild-install exit ${code}). ` +
          `Offline: put ${sqliteTarballName(sqlite, target)} in a folder and run npm run setup:desktop -- --offline <folder>, ` +
          `or place its build/Release/${SQLITE_BINARY} at ${dest}`,
      );
    }
    mkdirSync(path.dirname(dest), { recursive: true });
    copyFileSync(unpacked, dest);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  out.line(`  better-sqlite3 for Electron: ${dest}`);
  out.line(`    (Node's own build in ${path.join(sqlite.dir, 'build', 'Release')} is untouched: the CLI and the tests keep using it)`);
  return dest;
}
