// Who holds a library: its owner lock (`<library>/library.lock`, written by the process that has the library open).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { DoctorCheck } from '../../../src-shared/api/doctor';
import { check } from './doctor-context';

export const LIBRARY_LOCK_FILE = 'library.lock';

/** The lock's format, fixed between the owner (the library host) and its readers. */
const lockSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string().min(1),
  app: z.enum(['cli', 'serve', 'desktop']),
  startedAt: z.string().datetime({ offset: true }),
  heartbeatAt: z.string().datetime({ offset: true }),
});
export type LibraryLock = z.infer<typeof lockSchema>;

/** A heartbeat this old from another machine no longer proves its owner runs. */
const STALE_HEARTBEAT_MS = 5 * 60_000;

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export function lockOwnerCheck(libraryDir: string, now: Date, hostname = os.hostname(), selfPid = process.pid): DoctorCheck {
  const file = path.join(libraryDir, LIBRARY_LOCK_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return check('library', 'owner lock', 'ok', `free: no ${LIBRARY_LOCK_FILE}, no Sporeprint has the library open`);
    return check(
      'library',
      'owner lock',
      'error',
      `${file} cannot be read: ${(err as Error).message}`,
      `check the permissions of ${libraryDir}`,
    );
  }
  let lock: LibraryLock;
  try {
    lock = lockSchema.parse(JSON.parse(text));
  } catch {
    return check(
      'library',
      'owner lock',
      'warn',
      `${file} is not a Sporeprint lock (unreadable JSON or fields)`,
      `remove ${file} when no Sporeprint uses this library`,
    );
  }
  const heartbeat = now.getTime() - Date.parse(lock.heartbeatAt);
  const owner = `sporeprint ${lock.app} (pid ${lock.pid} on ${lock.hostname}, since ${lock.startedAt}, heartbeat ${ago(heartbeat)})`;
  if (lock.hostname === hostname) {
    if (lock.pid === selfPid) return check('library', 'owner lock', 'ok', `held by this process: ${owner}`);
    if (processRuns(lock.pid)) return check('library', 'owner lock', 'ok', `in use by ${owner}`);
    return check(
      'library',
      'owner lock',
      'warn',
      `left by ${owner}, which no longer runs`,
      `remove ${file} if no Sporeprint runs on ${hostname}`,
    );
  }
  if (heartbeat > STALE_HEARTBEAT_MS) {
    return check(
      'library',
      'owner lock',
      'warn',
      `held by ${owner}: no heartbeat for ${ago(heartbeat).replace(' ago', '')}`,
      `remove ${file} if Sporeprint no longer runs on ${lock.hostname}`,
    );
  }
  return check('library', 'owner lock', 'ok', `in use by ${owner}`);
}
