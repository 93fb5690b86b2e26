// Who holds a library: its owner lock (`<library>/library.lock`), read with the owner's own rules (core/library-lock).
import os from 'node:os';
import path from 'node:path';
import type { DoctorCheck } from '../../../src-shared/api/doctor';
import { isProcessAlive, LIBRARY_LOCK_FILE, LOCK_STALE_AFTER_MS, readLibraryLock, staleReason } from '../library-lock';
import { check } from './doctor-context';

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export function lockOwnerCheck(libraryDir: string, now: Date, hostname = os.hostname(), selfPid = process.pid): DoctorCheck {
  const file = path.join(libraryDir, LIBRARY_LOCK_FILE);
  let lock: ReturnType<typeof readLibraryLock>;
  try {
    lock = readLibraryLock(libraryDir);
  } catch (err) {
    return check(
      'library',
      'owner lock',
      'error',
      `${file} cannot be read: ${(err as Error).message}`,
      `check the permissions of ${libraryDir}`,
    );
  }
  if (lock === null) return check('library', 'owner lock', 'ok', `free: no ${LIBRARY_LOCK_FILE}, no Sporeprint has the library open`);
  if (lock === 'unreadable') {
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
  if (lock.hostname === hostname && lock.pid === selfPid) return check('library', 'owner lock', 'ok', `held by this process: ${owner}`);
  const stale = staleReason(lock, { pid: selfPid, hostname, now: () => now, isAlive: isProcessAlive, staleAfterMs: LOCK_STALE_AFTER_MS });
  if (stale === null) return check('library', 'owner lock', 'ok', `in use by ${owner}`);
  // The owner's rules take a stale lock over at the next open: nothing for the user to remove.
  return check('library', 'owner lock', 'ok', `left by ${owner}: stale (${stale}); the next Sporeprint to open the library takes it over`);
}
