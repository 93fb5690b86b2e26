// Per-run temporary folders for derivative writes: each ingest run writes (then renames) inside its own
// folder, so runs in parallel (the app and the CLI, or fetch-hq beside an import) never touch each other's
// files, and a crashed run's leftovers are removed by the next run once its process is gone.
import { lstat, readdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { SporeprintError } from '../errors';
import { kindOfFile } from '../files/regular-file';
import { TEMP_DIR } from '../library-paths';

export function runTempDir(libraryDir: string, jobId: number): string {
  return path.join(libraryDir, TEMP_DIR, `${process.pid}-${jobId}`);
}

/**
 * Removes temp folders of processes that no longer run (and stray files from older layouts). The temp root
 * itself must be a real folder: a stray file or symlink in its place (a copy tool, a hand edit) is removed,
 * never followed, so that neither this cleanup nor the run's writes reach outside the library.
 */
export async function removeStaleTempDirs(libraryDir: string): Promise<void> {
  const root = path.join(libraryDir, TEMP_DIR);
  if (!(await isRealFolder(root))) return;
  const entries = await readdir(root, { withFileTypes: true });
  for (const entry of entries) {
    const pid = Number(entry.name.split('-')[0]);
    const stale = !entry.isDirectory() || !Number.isInteger(pid) || !isProcessAlive(pid);
    if (stale) await rm(path.join(root, entry.name), { recursive: true, force: true });
  }
}

/** Whether `root` is a folder to clean; a file or symlink there is unlinked (only the link, never its target). */
async function isRealFolder(root: string): Promise<boolean> {
  let info;
  try {
    info = await lstat(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: derivatives/ itself is a file; the ingest's own derivative writes report that with their path.
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw err;
  }
  if (info.isDirectory()) return true;
  try {
    await unlink(root);
  } catch (err) {
    throw new SporeprintError(
      'IO_FAILED',
      `the library's temporary folder is ${info.isSymbolicLink() ? 'a symbolic link' : kindOfFile(info)}, not a folder, and cannot be removed ` +
        `(${(err as Error).message}): remove it and run again`,
      root,
    );
  }
  return false;
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
