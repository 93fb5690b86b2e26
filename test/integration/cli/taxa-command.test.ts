// `taxa import-checklist FILE [--name N]` and `taxa checklists`: a relative path is taken from the working folder,
// the list is kept under --name, and a missing file or a zip is refused naming the file.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/temp-library';
import { captureCliText } from '../../fixtures/capture-cli';

let files: { dir: string; cleanup: () => void };
let libDir: { dir: string; cleanup: () => void };

const cli = (...args: string[]) => captureCliText(['--library', libDir.dir, ...args]);

beforeAll(() => {
  files = makeTempDir('sporeprint-cli-taxa-');
  libDir = makeTempDir('sporeprint-cli-taxa-lib-');
});
afterAll(() => {
  files?.cleanup();
  libDir?.cleanup();
});

describe('sporeprint taxa', () => {
  it('imports a checklist under --name, from a path relative to the working folder', async () => {
    writeFileSync(path.join(files.dir, 'regional.txt'), '# list\nAmanita pantherina (DC.) Krombh.\nRussula emetica\n???\n');
    const cwd = process.cwd();
    process.chdir(files.dir);
    let result;
    try {
      result = await cli('taxa', 'import-checklist', 'regional.txt', '--name', 'Regional checklist');
    } finally {
      process.chdir(cwd);
    }
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toBe(
      'imported 2 name(s) from the list of names as "Regional checklist"; 1 line(s) without a scientific name left out (line 4)',
    );
    const listed = await cli('taxa', 'checklists', '--json');
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ file: 'Regional checklist', names: 2 })]);
    // Without --name the list is kept under its full path.
    const plain = await cli('taxa', 'import-checklist', path.join(files.dir, 'regional.txt'), '--json');
    expect(JSON.parse(plain.out)).toMatchObject({ file: path.join(files.dir, 'regional.txt'), names: 2 });
  });

  it('refuses a missing file, a zip and a missing action, naming what is wrong', async () => {
    const missing = await cli('taxa', 'import-checklist', path.join(files.dir, 'nope.txt'));
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain(`${path.join(files.dir, 'nope.txt')} does not exist`);
    const zip = path.join(files.dir, 'dwca.zip');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    const refused = await cli('taxa', 'import-checklist', zip);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/dwca\.zip: is a zip archive/);
    const none = await cli('taxa');
    expect(none.code).not.toBe(0);
    expect(none.err).toContain('taxa needs an action: import-checklist or checklists');
  });
});
