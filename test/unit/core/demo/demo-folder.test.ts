// The demo folder is reused only when complete and unchanged: an empty, half-built or edited folder is not trusted.
import { appendFileSync, existsSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../../../src-main/cli/command';
import { runCli } from '../../../../src-main/cli/main';
import { buildDemoFolder } from '../../../../src-main/core/demo/build-demo-folder';
import { DEMO_MANIFEST, demoFolderState, demoPhotoPaths } from '../../../../src-main/core/demo/demo-manifest';
import { makeTempDir } from '../../../fixtures/temp-library';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = makeTempDir('sporeprint-demo-')));
afterAll(() => cleanup());

describe('demo folder', () => {
  it('is missing, empty, valid once built, and invalid when a file is missing, edited, or the build did not finish', async () => {
    const folder = path.join(root, 'photos');
    expect(demoFolderState(folder)).toEqual({ state: 'missing' });
    mkdirSync(folder);
    expect(demoFolderState(folder)).toEqual({ state: 'empty' });
    await buildDemoFolder(folder, 1);
    expect(demoFolderState(folder)).toEqual({ state: 'valid' });
    expect(demoPhotoPaths(folder).map((p) => path.basename(p))).not.toContain(DEMO_MANIFEST);

    const photo = path.join(folder, 'Amanita muscaria', 'IMG_1000.jpg');
    appendFileSync(photo, 'x');
    expect(demoFolderState(folder)).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/IMG_1000\.jpg changed/) });
    unlinkSync(photo);
    expect(demoFolderState(folder)).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/IMG_1000\.jpg is missing/) });
    // A build interrupted before its manifest: the folder has photos but nothing says they are complete.
    unlinkSync(path.join(folder, DEMO_MANIFEST));
    expect(demoFolderState(folder)).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/no sporeprint-demo\.json/) });
    rmSync(folder, { recursive: true });
  });

  it('sporeprint demo --photos refuses a folder that is not a complete demo, before creating a library', async () => {
    const other = path.join(root, 'my-photos');
    mkdirSync(other);
    writeFileSync(path.join(other, 'holiday.jpg'), 'mine');
    const err: string[] = [];
    const io: CommandIo = { out: () => undefined, err: (l) => err.push(l), interactive: false };
    const library = path.join(root, 'lib');
    expect(await runCli(['--library', library, 'demo', '--photos', other], io)).toBe(2);
    expect(err.join('\n')).toMatch(/my-photos cannot hold the demo: it has no sporeprint-demo\.json/);
    expect(existsSync(library)).toBe(false);
  });
});
