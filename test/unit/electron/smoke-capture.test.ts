// What the packaged-app smoke test reads: the first window's view title, route, library and screenshot. Electron
// cannot launch here, so the window is a stand-in that draws its title after a few polls; files and library are real.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFirstStart } from '../../../src-main/electron/smoke-capture';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex');

function standInWindow(drawnAfterPolls: number): BrowserWindow {
  let polls = 0;
  const contents = {
    isLoading: () => false,
    once: () => undefined,
    executeJavaScript: async (code: string) => {
      if (code === 'location.hash') return '#/import';
      polls++;
      return polls > drawnAfterPolls ? 'Import' : '';
    },
    capturePage: async () => ({ toPNG: () => PNG }),
  };
  return { webContents: contents } as unknown as BrowserWindow;
}

describe('recordFirstStart', () => {
  const out = makeTempDir('sporeprint-smoke-');
  const lib = openTempLibrary();
  afterAll(async () => {
    out.cleanup();
    await lib.cleanup();
  });

  it('waits for the view to be drawn, then writes the record and the screenshot', async () => {
    const record = await recordFirstStart(standInWindow(2), out.dir, lib.dir, 10_000);
    expect(record).toMatchObject({ view: 'Import', hash: '#/import', libraryDir: lib.dir, catalogExists: true });
    expect(JSON.parse(readFileSync(path.join(out.dir, 'first-start.json'), 'utf8'))).toEqual(record);
    expect(readFileSync(path.join(out.dir, 'first-start.png')).equals(PNG)).toBe(true);
  });

  it('records an empty view (a failed start) once the wait is over, for the script to report', async () => {
    const dir = path.join(out.dir, 'never-drawn');
    const record = await recordFirstStart(standInWindow(Number.POSITIVE_INFINITY), dir, path.join(out.dir, 'no-library'), 600);
    expect(record.view).toBe('');
    expect(record.catalogExists).toBe(false);
    expect(existsSync(path.join(dir, 'first-start.json'))).toBe(true);
  });
});
