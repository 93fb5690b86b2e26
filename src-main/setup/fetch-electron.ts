// Step 1 of the desktop setup: Electron's own binary, through the electron package's installer (@electron/get),
// which honours ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR and electron_config_cache and checks the package's checksums.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { findElectronPackage, type ElectronPackage } from '../core/runtime/electron-package';
import { runNodeScript, type StepOutput } from './run-step';

export function electronZipName(version: string, platform: string, arch: string): string {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/** Where @electron/get downloads from: ELECTRON_MIRROR (+ ELECTRON_CUSTOM_DIR) or GitHub releases. */
export function electronDownloadUrl(version: string, platform: string, arch: string, env: NodeJS.ProcessEnv): string {
  const base = env.ELECTRON_MIRROR ?? env.npm_config_electron_mirror ?? 'https://github.com/electron/electron/releases/download/';
  const dir = (env.ELECTRON_CUSTOM_DIR ?? env.npm_config_electron_custom_dir ?? 'v{{ version }}').replace(
    /\{\{\s*version\s*\}\}/g,
    version,
  );
  return `${base.endsWith('/') ? base : `${base}/`}${dir}/${electronZipName(version, platform, arch)}`;
}

/** Downloads (or takes from the cache) and extracts Electron's binary into node_modules/electron/dist. */
export async function fetchElectron(
  electron: ElectronPackage,
  options: { from: string; env: NodeJS.ProcessEnv; force: boolean; out: StepOutput; offline?: string },
): Promise<ElectronPackage> {
  const { out } = options;
  if (electron.installed && !options.force) {
    out.line(`  Electron binary: present (${electron.binary})`);
    return electron;
  }
  if (options.force) {
    // electron's installer skips when dist/ already matches; --force means fetch it again.
    rmSync(path.join(electron.dir, 'dist'), { recursive: true, force: true });
    rmSync(path.join(electron.dir, 'path.txt'), { force: true });
  }
  const zip = electronZipName(electron.version, process.platform, process.arch);
  if (options.offline) {
    out.line(`  Electron binary: from ${path.join(options.offline, zip)} (checked against ${path.join(electron.dir, 'checksums.json')})`);
  } else {
    out.line(`  Electron binary: downloading ${electronDownloadUrl(electron.version, process.platform, process.arch, options.env)}`);
    out.line(`    (cached by @electron/get in electron_config_cache or ~/.cache/electron; ELECTRON_MIRROR changes the source)`);
  }
  const code = await runNodeScript(path.join(electron.dir, 'install.js'), [], { cwd: electron.dir, env: options.env, out });
  const after = findElectronPackage(options.from, options.env);
  if (code !== 0 || !after?.installed) {
    throw new Error(
      `Electron's binary could not be fetched (installer exit ${code}). Offline: put ${zip} in a folder and run ` +
        `npm run setup:desktop -- --offline <folder> (README, "Desktop app offline")`,
    );
  }
  out.line(`  Electron binary: ${after.binary}`);
  return after;
}
