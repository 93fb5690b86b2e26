// Settings: defaults, config.json in the library, environment variables on top; bad values named.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLibraryDir, loadConfig } from '../../../../src-main/core/config';
import { makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('loadConfig', () => {
  it('layers defaults < config.json < environment', () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    expect(loadConfig(dir, {}).IMAGE_MAX_SIZE_MB).toBe(50);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ IMAGE_MAX_SIZE_MB: 20, IMAGE_BATCH_SIZE: 4 }));
    expect(loadConfig(dir, {})).toMatchObject({ IMAGE_MAX_SIZE_MB: 20, IMAGE_BATCH_SIZE: 4 });
    expect(loadConfig(dir, { IMAGE_MAX_SIZE_MB: '5' })).toMatchObject({ IMAGE_MAX_SIZE_MB: 5, IMAGE_BATCH_SIZE: 4 });
    expect(loadConfig(dir, { LICENSE_ALLOW_LIST: 'CC0, CC-BY' }).LICENSE_ALLOW_LIST).toEqual(['CC0', 'CC-BY']);
  });

  it('names the setting and the file when a value is invalid', () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    expect(() => loadConfig(dir, { IMAGE_MAX_SIZE_MB: '-3' })).toThrow(/IMAGE_MAX_SIZE_MB/);
    writeFileSync(path.join(dir, 'config.json'), '{oops');
    expect(() => loadConfig(dir, {})).toThrow(/config\.json: config is not valid JSON/);
  });

  it('puts the default library where Electron keeps userData', () => {
    expect(defaultLibraryDir({ SPOREPRINT_LIBRARY: '/data/lib' })).toBe('/data/lib');
    expect(defaultLibraryDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/Sporeprint');
    expect(defaultLibraryDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming.Sporeprint$/);
    expect(defaultLibraryDir({}, 'darwin')).toMatch(/Library\/Application Support\/Sporeprint$/);
  });
});
