// Finding the electron package and whether its binary is downloaded, the way electron's installer and electron-vite do.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronPlatformPath, findElectronPackage } from '../../../../src-main/core/runtime/electron-package';
import { atLeast } from '../../../../src-main/core/runtime/node-versions';
import { makeTempDir } from '../../../fixtures/temp-library';

const tmp = makeTempDir('sporeprint-electron-pkg-');
afterAll(() => tmp.cleanup());

function checkout(name: string): { from: string; dir: string } {
  const root = path.join(tmp.dir, name);
  const dir = path.join(root, 'node_modules', 'electron');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(root, 'package.json'), '{}');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  writeFileSync(path.join(dir, 'abi_version'), '150\n');
  return { from: path.join(root, 'package.json'), dir };
}

function download(dir: string, version: string): void {
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  writeFileSync(path.join(dir, 'dist', 'electron'), '');
  writeFileSync(path.join(dir, 'dist', 'version'), version);
  writeFileSync(path.join(dir, 'path.txt'), 'electron');
}

describe('findElectronPackage', () => {
  it('reads version and ABI; the binary is missing until downloaded', () => {
    const { from, dir } = checkout('fresh');
    expect(findElectronPackage(from, {}, 'linux')).toEqual({
      dir,
      version: '45.4.1',
      abi: '150',
      binary: path.join(dir, 'dist', 'electron'),
      installed: false,
    });
    download(dir, '45.4.1');
    expect(findElectronPackage(from, {}, 'linux')?.installed).toBe(true);
  });

  it('a binary of another version does not count (electron re-downloads it on launch)', () => {
    const { from, dir } = checkout('stale');
    download(dir, 'v44.0.0');
    expect(findElectronPackage(from, {}, 'linux')?.installed).toBe(false);
  });

  it('ELECTRON_EXEC_PATH (which electron-vite runs) overrides the download', () => {
    const { from } = checkout('override');
    const own = path.join(tmp.dir, 'my-electron');
    writeFileSync(own, '');
    expect(findElectronPackage(from, { ELECTRON_EXEC_PATH: own }, 'linux')).toMatchObject({ binary: own, installed: true });
  });

  it('none where the package is not installed (a packaged app)', () => {
    mkdirSync(path.join(tmp.dir, 'bare'));
    writeFileSync(path.join(tmp.dir, 'bare', 'package.json'), '{}');
    expect(findElectronPackage(path.join(tmp.dir, 'bare', 'package.json'), {}, 'linux')).toBeNull();
  });

  it('names the executable per platform as electron’s installer does', () => {
    expect(electronPlatformPath('linux')).toBe('electron');
    expect(electronPlatformPath('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
    expect(electronPlatformPath('win32')).toBe('electron.exe');
  });
});

describe('atLeast', () => {
  it('compares versions numerically', () => {
    expect(atLeast('20.20.2', '20.19')).toBe(true);
    expect(atLeast('20.9.0', '20.19')).toBe(false);
    expect(atLeast('v22.12.0', '22.12')).toBe(true);
    expect(atLeast('22.11.9', '22.12')).toBe(false);
  });
});
