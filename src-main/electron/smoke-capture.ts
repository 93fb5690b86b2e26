// SPOREPRINT_SMOKE_OUT=<dir>: the packaged-app smoke test (.ci/smoke-packaged) has the first window record what it
// shows (view title, screenshot, library) and the app quit, so a script can check a first start without a person.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { CATALOG_FILE } from '../core/library-paths';

export interface FirstStartRecord {
  /** The view's heading once the renderer has drawn it ('' if it never did). */
  view: string;
  hash: string;
  libraryDir: string;
  catalogExists: boolean;
  electron: string;
}

const TITLE = `document.querySelector('.view-title h1')?.textContent ?? ''`;

export async function recordFirstStart(
  window: BrowserWindow,
  outDir: string,
  libraryDir: string,
  timeoutMs = 30_000,
): Promise<FirstStartRecord> {
  const contents = window.webContents;
  if (contents.isLoading()) await new Promise<void>((resolve) => contents.once('did-finish-load', () => resolve()));
  let view = '';
  for (const started = Date.now(); !view && Date.now() - started < timeoutMs;) {
    view = String(await contents.executeJavaScript(TITLE));
    if (!view) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const record: FirstStartRecord = {
    view,
    hash: String(await contents.executeJavaScript('location.hash')),
    libraryDir,
    catalogExists: existsSync(path.join(libraryDir, CATALOG_FILE)),
    electron: process.versions.electron ?? '',
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'first-start.png'), (await contents.capturePage()).toPNG());
  writeFileSync(path.join(outDir, 'first-start.json'), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}
