// A killed export leaves its hidden `.<name>.partial-<pid>-<job>` folder beside the destination (writeExport
// renames it into place only at the end). The next export removes such folders of processes no longer alive:
// beside its own destination, and beside the destination of every earlier export that did not complete.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { JobStore } from '../jobs/job-store';
import { isProcessAlive } from '../library-lock';

const PARTIAL_NAME = /^\..+\.partial-(\d+)-(\d+)$/;

/** Returns the folders removed. */
export async function removeKilledExportPartials(jobs: JobStore, outDir: string): Promise<string[]> {
  const parents = new Set([path.dirname(outDir)]);
  for (const row of jobs.list('export', 200)) {
    if (row.status === 'completed' || row.status === 'running') continue;
    const earlier = (JSON.parse(row.params_json) as { outDir?: unknown }).outDir;
    if (typeof earlier === 'string' && path.isAbsolute(earlier)) parents.add(path.dirname(earlier));
  }
  const removed: string[] = [];
  for (const parent of parents) {
    let names: string[];
    try {
      names = await readdir(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = PARTIAL_NAME.exec(name);
      if (!match || isProcessAlive(Number(match[1]))) continue;
      const folder = path.join(parent, name);
      await rm(folder, { recursive: true, force: true });
      removed.push(folder);
    }
  }
  return removed;
}
