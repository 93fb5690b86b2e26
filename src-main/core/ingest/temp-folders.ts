// Per-run temporary folders for derivative writes: each ingest run writes (then renames) inside its own
// folder, so runs in parallel (the app and the CLI, or fetch-hq beside an import) never touch each other's
// files, and a crashed run's leftovers are removed by the next run once its process is gone.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_DIR } from '../library-paths';

export function runTempDir(libraryDir: string, jobId: number): string {
  return path.join(libraryDir, TEMP_DIR, `${process.pid}-${jobId}`);
}

/** Removes temp folders of processes that no longer run (and stray files from older layouts). */
export async function removeStaleTempDirs(libraryDir: string): Promise<void> {
  const root = path.join(libraryDir, TEMP_DIR);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const entry of entries) {
    const pid = Number(entry.name.split('-')[0]);
    const stale = !entry.isDirectory() || !Number.isInteger(pid) || !isProcessAlive(pid);
    if (stale) await rm(path.join(root, entry.name), { recursive: true, force: true });
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
