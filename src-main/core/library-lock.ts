// The owner lock of a library: <library>/library.lock names the one process that may write its catalogue and
// files, with a heartbeat, so a second writer is told who holds it and a dead owner's lock is taken over.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { SporeprintError } from './errors';

export const LIBRARY_LOCK_FILE = 'library.lock';
/** Held only for the instant of a takeover, so two processes never both remove one stale lock. */
const TAKEOVER_FILE = 'library.lock.takeover';

/** How often the owner rewrites heartbeatAt. */
export const LOCK_HEARTBEAT_MS = 10_000;
/**
 * A lock whose heartbeat is older than this is stale even if its pid is alive (pids are reused; on another host
 * the pid cannot be checked at all). Twelve missed heartbeats: an owner whose thread blocks that long is hung.
 */
export const LOCK_STALE_AFTER_MS = 120_000;
const TAKEOVER_STALE_AFTER_MS = 30_000;
const MAX_ATTEMPTS = 40;

export const LOCK_APPS = ['cli', 'serve', 'desktop'] as const;
export type LockApp = (typeof LOCK_APPS)[number];

/** The file's format, shared with `doctor` (#20): { pid, hostname, app, startedAt, heartbeatAt }. */
export const libraryLockSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  app: z.enum(LOCK_APPS),
  startedAt: z.string(),
  heartbeatAt: z.string(),
});
export type LibraryLockInfo = z.infer<typeof libraryLockSchema>;

export interface LockEnvironment {
  pid: number;
  hostname: string;
  now: () => Date;
  /** Whether a pid on this host is a running process. */
  isAlive: (pid: number) => boolean;
  staleAfterMs: number;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const defaultEnvironment = (): LockEnvironment => ({
  pid: process.pid,
  hostname: os.hostname(),
  now: () => new Date(),
  isAlive: isProcessAlive,
  staleAfterMs: LOCK_STALE_AFTER_MS,
});

/** The lock as written, null when there is none; a file that does not parse is reported as such. */
export function readLibraryLock(dir: string): LibraryLockInfo | null | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path.join(dir, LIBRARY_LOCK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const parsed = libraryLockSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** The library's owner when a live process holds its lock, else null (no lock, a stale one, or an unreadable one). */
export function liveOwner(dir: string, env: Partial<LockEnvironment> = {}): LibraryLockInfo | null {
  const lock = readLibraryLock(dir);
  if (lock === null || lock === 'unreadable') return null;
  return staleReason(lock, { ...defaultEnvironment(), ...env }) === null ? lock : null;
}

/** Why a lock no longer protects anything, or null while its owner is alive. */
export function staleReason(lock: LibraryLockInfo, env: LockEnvironment): string | null {
  const silentMs = env.now().getTime() - Date.parse(lock.heartbeatAt);
  if (lock.hostname === env.hostname && !env.isAlive(lock.pid)) return `its process (pid ${lock.pid}) has ended`;
  if (!(silentMs <= env.staleAfterMs)) return `its heartbeat stopped ${Math.round(silentMs / 1000)} s ago`;
  return null;
}

/** "this library is open in Sporeprint (pid N, serve, since ...)" with the host when it is another one. */
export function describeOwner(lock: LibraryLockInfo, hostname = os.hostname()): string {
  const where = lock.hostname === hostname ? '' : ` on ${lock.hostname}`;
  return `this library is open in Sporeprint (pid ${lock.pid}${where}, ${lock.app}, since ${lock.startedAt})`;
}

export class LibraryLock {
  private timer: NodeJS.Timeout | null = null;
  private released = false;

  private constructor(
    readonly dir: string,
    readonly info: LibraryLockInfo,
    private readonly env: LockEnvironment,
    private readonly onLost: (reason: string) => void,
  ) {}

  /**
   * Makes this process the library's owner, taking over a stale lock; throws LIBRARY_IN_USE naming the live owner.
   * `onLost` is told if another process later took the lock over (this one was judged dead, e.g. frozen too long).
   */
  static acquire(
    dir: string,
    app: LockApp,
    options: { env?: Partial<LockEnvironment>; heartbeatMs?: number; onLost?: (reason: string) => void } = {},
  ): LibraryLock {
    const env = { ...defaultEnvironment(), ...options.env };
    const at = env.now().toISOString();
    const info: LibraryLockInfo = { pid: env.pid, hostname: env.hostname, app, startedAt: at, heartbeatAt: at };
    for (let attempt = 0; ; attempt++) {
      if (createExclusively(dir, info)) break;
      const current = readLibraryLock(dir);
      const reason =
        current === null ? 'it was just released' : current === 'unreadable' ? unreadableLockReason(dir, env) : staleReason(current, env);
      if (reason === null)
        throw new SporeprintError(
          'LIBRARY_IN_USE',
          current === 'unreadable' || current === null
            ? `this library is locked by ${LIBRARY_LOCK_FILE}, which cannot be read; remove it if no Sporeprint has the library open`
            : `${describeOwner(current, env.hostname)}; close it there, or use a read-only command (stats, search, duplicates, export --dry-run)`,
          dir,
        );
      if (attempt >= MAX_ATTEMPTS)
        throw new SporeprintError('LIBRARY_IN_USE', `the library's lock is stale (${reason}) but another process keeps taking it`, dir);
      if (current !== null && !removeStaleLock(dir, current)) pause(25);
    }
    const lock = new LibraryLock(dir, info, env, options.onLost ?? (() => undefined));
    const every = options.heartbeatMs ?? LOCK_HEARTBEAT_MS;
    if (every > 0) {
      lock.timer = setInterval(() => lock.heartbeat(), every);
      // The heartbeat alone never keeps a process alive.
      lock.timer.unref();
    }
    return lock;
  }

  /** Rewrites heartbeatAt, if the lock is still this process's; returns whether it was. */
  heartbeat(): boolean {
    if (this.released) return false;
    const current = readLibraryLock(this.dir);
    if (current === null || current === 'unreadable' || !sameOwner(current, this.info)) {
      this.stop();
      this.onLost(current === null || current === 'unreadable' ? 'the lock file was removed' : `${describeOwner(current)} took it over`);
      return false;
    }
    writeAtomically(this.dir, { ...this.info, heartbeatAt: this.env.now().toISOString() });
    return true;
  }

  /** Removes the lock if it is still this process's. */
  release(): void {
    if (this.released) return;
    this.stop();
    this.released = true;
    releaseLockOf(this.dir, this.info);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Removes the lock if it is still the one `owner` took (a thread that died without releasing it, e.g.). */
export function releaseLockOf(dir: string, owner: LibraryLockInfo): void {
  const current = readLibraryLock(dir);
  if (current !== null && current !== 'unreadable' && sameOwner(current, owner)) rmSync(path.join(dir, LIBRARY_LOCK_FILE), { force: true });
}

function sameOwner(a: LibraryLockInfo, b: LibraryLockInfo): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;
}

/** Writes the complete file under a temporary name, then links it in: it appears whole or not at all. */
function createExclusively(dir: string, info: LibraryLockInfo): boolean {
  const temp = tempName(dir);
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
  try {
    linkSync(temp, path.join(dir, LIBRARY_LOCK_FILE));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A filesystem without hard links: an exclusive create (the file is briefly empty, read as 'unreadable').
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((err as NodeJS.ErrnoException).code ?? '')) {
      try {
        writeFileSync(path.join(dir, LIBRARY_LOCK_FILE), `${JSON.stringify(info, null, 2)}\n`, { flag: 'wx' });
        return true;
      } catch (inner) {
        if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw inner;
      }
    }
    throw err;
  } finally {
    rmSync(temp, { force: true });
  }
}

function writeAtomically(dir: string, info: LibraryLockInfo): void {
  const temp = tempName(dir);
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(temp, path.join(dir, LIBRARY_LOCK_FILE));
}

function tempName(dir: string): string {
  return path.join(dir, `${LIBRARY_LOCK_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** An unreadable lock (a hand edit, a filesystem without links mid-create) is stale once old enough. */
function unreadableLockReason(dir: string, env: LockEnvironment): string | null {
  try {
    const age = env.now().getTime() - statSync(path.join(dir, LIBRARY_LOCK_FILE)).mtimeMs;
    return age > env.staleAfterMs ? 'it is unreadable and old' : null;
  } catch {
    return 'it is gone';
  }
}

/**
 * Removes a stale lock, under the takeover file so that two processes judging the same lock stale cannot remove a
 * fresh lock the other has just created: the one holding the takeover file re-reads the lock before removing it.
 */
function removeStaleLock(dir: string, judged: LibraryLockInfo | 'unreadable'): boolean {
  const guard = path.join(dir, TAKEOVER_FILE);
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process is taking over right now; a guard left by one that died mid-takeover is removed when old.
    try {
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_AFTER_MS) rmSync(guard, { force: true });
    } catch {
      // gone meanwhile
    }
    return false;
  }
  try {
    const current = readLibraryLock(dir);
    const unchanged =
      current === judged || (current !== null && current !== 'unreadable' && judged !== 'unreadable' && sameOwner(current, judged));
    if (unchanged) unlinkSync(path.join(dir, LIBRARY_LOCK_FILE));
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/** A short synchronous wait (the lock is taken while opening, before anything else runs). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
