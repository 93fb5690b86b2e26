// The `electron` package of a checkout: its version, the ABI its binary expects, and whether the binary is there.
// electron 45 ships without its binary: `npm ci` installs the package only, the binary comes from GitHub releases
// (or ELECTRON_MIRROR) on first launch, or through `npm run setup:desktop`.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ElectronPackage {
  /** node_modules/electron */
  dir: string;
  version: string;
  /** The ABI (process.versions.modules) of its binary, from the package's abi_version file. */
  abi: string;
  /** The executable `npm start` runs: where it is, or where the download puts it. */
  binary: string;
  /** Downloaded for this version, where electron-vite looks for it (path.txt, dist/). */
  installed: boolean;
}

/** The executable inside dist/, as electron's install.js names it per platform. */
export function electronPlatformPath(platform: string): string {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The installed electron package resolved from `from`, or null where there is none (a packaged app). */
export function findElectronPackage(
  from: string = import.meta.url,
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
): ElectronPackage | null {
  let manifest: string;
  try {
    manifest = createRequire(from).resolve('electron/package.json');
  } catch {
    return null;
  }
  const dir = path.dirname(manifest);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const abi = (readText(path.join(dir, 'abi_version')) ?? '').trim();
  // electron-vite runs ELECTRON_EXEC_PATH when set, else dist/<path.txt>.
  if (env.ELECTRON_EXEC_PATH) return { dir, version, abi, binary: env.ELECTRON_EXEC_PATH, installed: existsSync(env.ELECTRON_EXEC_PATH) };
  const platformPath = electronPlatformPath(platform);
  const binary = path.join(dir, 'dist', platformPath);
  // The test electron's install.js makes before downloading: this version, this platform, the file present.
  const installed =
    existsSync(binary) &&
    (readText(path.join(dir, 'dist', 'version')) ?? '').trim().replace(/^v/, '') === version &&
    readText(path.join(dir, 'path.txt')) === platformPath;
  return { dir, version, abi, binary, installed };
}
