// Runs before `npm start` / `npm run dev`: says what the desktop app still needs and how to get it, instead of
// electron-vite's bare "Electron uninstall" or an ABI mismatch inside the app.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronSqliteBinding, findSqlitePackage, SETUP_DESKTOP_COMMAND } from '../core/catalog/native-binding';
import { findElectronPackage } from '../core/runtime/electron-package';
import { electronDownloadUrl } from './fetch-electron';
import { sqliteDownloadUrl } from './fetch-electron-sqlite';

export interface DesktopReadiness {
  /** What `npm start` lacks, each with where it belongs; empty when it can start. */
  missing: string[];
  /** Where setup:desktop fetches the missing files from (for an offline copy). */
  downloads: string[];
}

export function desktopReadiness(root: string, env: NodeJS.ProcessEnv): DesktopReadiness {
  const from = path.join(root, 'package.json');
  const electron = findElectronPackage(from, env);
  if (!electron) return { missing: ['the electron package: run npm ci (it is a development dependency)'], downloads: [] };
  const missing: string[] = [];
  const downloads: string[] = [];
  if (!electron.installed) {
    missing.push(`Electron ${electron.version}'s binary: ${electron.binary} (npm ci installs the package only)`);
    downloads.push(electronDownloadUrl(electron.version, process.platform, process.arch, env));
  }
  const sqlite = findSqlitePackage(from);
  const target = { abi: electron.abi, platform: process.platform, arch: process.arch };
  const binding = electronSqliteBinding(sqlite, target);
  if (!existsSync(binding)) {
    missing.push(`better-sqlite3 built for Electron ${electron.version} (ABI ${electron.abi}): ${binding}`);
    downloads.push(sqliteDownloadUrl(sqlite, target, env));
  }
  return { missing, downloads };
}

export function desktopInstructions(readiness: DesktopReadiness): string[] {
  return [
    'The desktop app cannot start yet. Missing:',
    ...readiness.missing.map((m) => `  - ${m}`),
    '',
    `Online, one command:  ${SETUP_DESKTOP_COMMAND}`,
    'Offline: copy these files into one folder on this machine',
    ...readiness.downloads.map((url) => `  ${url}`),
    `  then:  ${SETUP_DESKTOP_COMMAND} -- --offline <folder>   (README, "Desktop app offline")`,
    'Without Electron, the same UI runs in a browser:  npm run build && npm run cli -- serve',
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const readiness = desktopReadiness(root, process.env);
  if (readiness.missing.length > 0) {
    process.stderr.write(`${desktopInstructions(readiness).join('\n')}\n`);
    process.exit(1);
  }
}
