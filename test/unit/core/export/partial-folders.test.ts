// A killed export's hidden partial folder is removed by the next export (issue 13 part 6); a live process's
// partial folder is never touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeKilledExportPartials } from '../../../../src-main/core/export/partial-folders';
import { JobStore } from '../../../../src-main/core/jobs/job-store';
import { makeTempDir, openTempCatalog } from '../../../fixtures/temp-library';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('removeKilledExportPartials', () => {
  it('removes partial folders of dead processes beside this export and beside earlier unfinished ones', async () => {
    const catalog = openTempCatalog();
    cleanups.push(catalog.cleanup);
    const work = makeTempDir();
    cleanups.push(work.cleanup);
    const jobs = new JobStore(catalog.db);
    // A process that has exited: its pid is no longer alive.
    const deadPid = spawnSync('true').pid!;
    const earlierParent = path.join(work.dir, 'earlier');
    const earlierId = jobs.create('export', { outDir: path.join(earlierParent, 'dataset') });
    jobs.finish(earlierId, 'interrupted', 3, 10, null, null);
    const killedEarlier = path.join(earlierParent, `.dataset.partial-${deadPid}-${earlierId}`);
    const now = path.join(work.dir, 'now');
    const killedBeside = path.join(now, `.other.partial-${deadPid}-77`);
    const live = path.join(now, `.busy.partial-${process.pid}-78`);
    const unrelated = path.join(now, '.dataset.partial-notes');
    for (const dir of [killedEarlier, killedBeside, live, unrelated]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'manifest.jsonl'), '{}\n');
    }

    const removed = await removeKilledExportPartials(jobs, path.join(now, 'dataset'));
    expect(removed.sort()).toEqual([killedEarlier, killedBeside].sort());
    expect(existsSync(killedEarlier)).toBe(false);
    expect(existsSync(killedBeside)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });
});
