// Two ingest runs in one library at once (e.g. an import while fetch-hq ingests) both complete, and
// temp folders of dead processes are cleaned while a live run's folder is left alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
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
    // A mirrored copy of a/0.jpg in b: the two runs' clusterings must meet in one cluster.
    const original = path.join(folders[0]!, '0.jpg');
    const mirrored = path.join(folders[1]!, '5.jpg');
    writeFileSync(mirrored, await sharp(original).flop().jpeg({ quality: 90 }).toBuffer());
    const { lib, dir, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const jobs = await Promise.all(folders.map((folder) => lib.invoke('ingest.start', { paths: [folder], workers: 1 })));
    const results = await Promise.all(jobs.map(({ jobId }) => lib.waitForJob(jobId)));
    for (const job of results) expect(job).toMatchObject({ status: 'completed', result: { added: 6, rejected: 0 } });
    expect((await lib.invoke('stats.get', {})).images).toBe(12);
    // Both runs re-cluster when they end; one at a time, so the last word includes both folders.
    const { clusters } = await lib.invoke('duplicates.clusters', {});
    const clusterPaths = clusters.map((c) => c.members.flatMap((m) => m.paths).sort());
    expect(clusterPaths).toContainEqual([original, mirrored].sort());
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
