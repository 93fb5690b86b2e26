// Two ingest runs in one library at once (e.g. an import while fetch-hq ingests) both complete, and
// temp folders of dead processes are cleaned while a live run's folder is left alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTempDirs } from '../../../src-main/core/ingest/temp-folders';
import { TEMP_DIR } from '../../../src-main/core/library-paths';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('concurrent ingest runs', () => {
  it('both complete with every file catalogued', async () => {
    const photos = makeTempDir('sporeprint-conc-');
    cleanups.push(photos.cleanup);
    const folders = ['a', 'b'].map((name) => path.join(photos.dir, name));
    for (const [f, folder] of folders.entries()) {
      mkdirSync(folder);
      for (let i = 0; i < 6; i++)
        writeFileSync(path.join(folder, `${i}.jpg`), await makePhoto(2000 + f * 10 + i, { width: 640, height: 480 }));
    }
    const { lib, dir, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const jobs = await Promise.all(folders.map((folder) => lib.invoke('ingest.start', { paths: [folder], workers: 1 })));
    const results = await Promise.all(jobs.map(({ jobId }) => lib.waitForJob(jobId)));
    for (const job of results) expect(job).toMatchObject({ status: 'completed', result: { added: 6, rejected: 0 } });
    expect((await lib.invoke('stats.get', {})).images).toBe(12);
    expect(readdirSync(path.join(dir, TEMP_DIR))).toEqual([]);
  });

  it('removes temp folders of processes that are gone, keeps those of live ones', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const root = path.join(dir, TEMP_DIR);
    for (const name of [`${deadPid}-3`, `${process.pid}-9`]) {
      mkdirSync(path.join(root, name), { recursive: true });
      writeFileSync(path.join(root, name, 'x.jpg.tmp'), 'partial');
    }
    writeFileSync(path.join(root, 'stray-file'), 'from an older layout');
    await removeStaleTempDirs(dir);
    expect(readdirSync(root)).toEqual([`${process.pid}-9`]);
  });
});
