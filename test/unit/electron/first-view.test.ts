// The desktop window opens on Import while the library is empty (a first start), on the renderer's own route after.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstView, viewHash } from '../../../src-main/electron/first-view';
import { parseHash } from '../../../src-renderer/state/route-store';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

describe('firstView', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(() => {
    lib = openTempLibrary();
  });
  afterAll(async () => lib?.cleanup());

  it('an empty library opens on Import, a route the renderer reads back as Import', async () => {
    const view = await firstView(lib.lib);
    expect(view).toBe('import');
    expect(parseHash(`#${viewHash('import')}`).view).toBe('import');
  });

  it('a library with photographs keeps the renderer’s own start', async () => {
    const folder = makeTempDir('sporeprint-first-view-');
    mkdirSync(path.join(folder.dir, 'Amanita muscaria'));
    writeFileSync(path.join(folder.dir, 'Amanita muscaria', 'a.jpg'), await makePhoto(7, { width: 400, height: 300 }));
    await ingestAndWait(lib.lib, [folder.dir], { workers: 1 });
    expect(await firstView(lib.lib)).toBeNull();
    folder.cleanup();
  });
});
