// The owner lock: one owner at a time, a second writer told who holds it, stale locks (dead pid, silent heartbeat)
// taken over, by exactly one of several processes racing for it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SporeprintError } from '../../../src-main/core/errors';
import {
  LIBRARY_LOCK_FILE,
  LibraryLock,
  readLibraryLock,
  type LibraryLockInfo,
  type LockEnvironment,
} from '../../../src-main/core/library-lock';
import { runTogether } from '../../fixtures/start-together';
import { makeTempDir } from '../../fixtures/temp-library';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('sporeprint-lock-')));
afterEach(() => temp.cleanup());

const lockFile = () => path.join(temp.dir, LIBRARY_LOCK_FILE);
function writeLock(info: Partial<LibraryLockInfo>): LibraryLockInfo {
  const at = new Date().toISOString();
  const full = { pid: process.pid, hostname: os.hostname(), app: 'serve' as const, startedAt: at, heartbeatAt: at, ...info };
  writeFileSync(lockFile(), JSON.stringify(full));
  return full;
}
/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}
function acquireError(env: Partial<LockEnvironment> = {}): SporeprintError {
  try {
    LibraryLock.acquire(temp.dir, 'cli', { heartbeatMs: 0, env }).release();
  } catch (err) {
    return err as SporeprintError;
  }
  throw new Error('acquired');
}

describe('LibraryLock', () => {
  it('writes { pid, hostname, app, startedAt, heartbeatAt } and removes it on release', () => {
    const lock = LibraryLock.acquire(temp.dir, 'serve', { heartbeatMs: 0 });
    const written = JSON.parse(readFileSync(lockFile(), 'utf8')) as LibraryLockInfo;
    expect(Object.keys(written).sort()).toEqual(['app', 'heartbeatAt', 'hostname', 'pid', 'startedAt']);
    expect(written).toMatchObject({ pid: process.pid, hostname: os.hostname(), app: 'serve' });
    expect(readLibraryLock(temp.dir)).toEqual(lock.info);
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('refuses a second owner while the first is alive, naming it', () => {
    const first = LibraryLock.acquire(temp.dir, 'desktop', { heartbeatMs: 0 });
    const err = acquireError();
    expect(err.code).toBe('LIBRARY_IN_USE');
    expect(err.message).toContain(`this library is open in Sporeprint (pid ${process.pid}, desktop, since ${first.info.startedAt})`);
    first.release();
    LibraryLock.acquire(temp.dir, 'cli', { heartbeatMs: 0 }).release();
  });

  it('takes over the lock of a process that has ended', () => {
    writeLock({ pid: deadPid() });
    const lock = LibraryLock.acquire(temp.dir, 'cli', { heartbeatMs: 0 });
    expect(readLibraryLock(temp.dir)).toMatchObject({ pid: process.pid, app: 'cli' });
    lock.release();
  });

  it('judges a live pid by its heartbeat: silent for longer than the limit is stale (a reused pid, a hung owner)', () => {
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    writeLock({ pid: process.pid, heartbeatAt: old });
    LibraryLock.acquire(temp.dir, 'cli', { heartbeatMs: 0 }).release();
    writeLock({ pid: process.pid });
    expect(acquireError().code).toBe('LIBRARY_IN_USE');
  });

  it('on another host trusts only the heartbeat', () => {
    writeLock({ hostname: 'lab-workstation', pid: deadPid() });
    const err = acquireError();
    expect(err.message).toMatch(/\(pid \d+ on lab-workstation, serve, since /);
    writeLock({ hostname: 'lab-workstation', heartbeatAt: new Date(Date.now() - 3 * 60_000).toISOString() });
    LibraryLock.acquire(temp.dir, 'cli', { heartbeatMs: 0 }).release();
  });

  it('refreshes its heartbeat, and says so when another process took the lock over', () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const lost: string[] = [];
    const lock = LibraryLock.acquire(temp.dir, 'serve', { heartbeatMs: 0, env: { now: () => now }, onLost: (r) => lost.push(r) });
    now = new Date('2026-01-01T10:00:10Z');
    expect(lock.heartbeat()).toBe(true);
    expect(readLibraryLock(temp.dir)).toMatchObject({ startedAt: '2026-01-01T10:00:00.000Z', heartbeatAt: '2026-01-01T10:00:10.000Z' });
    writeLock({ pid: 4242, hostname: 'other-host' });
    expect(lock.heartbeat()).toBe(false);
    expect(lost[0]).toMatch(/pid 4242 on other-host/);
    lock.release();
    expect(readLibraryLock(temp.dir)).toMatchObject({ pid: 4242 });
  });

  it('leaves an unreadable lock alone while it is fresh', () => {
    writeFileSync(lockFile(), '{"pid": ');
    expect(acquireError().message).toMatch(/cannot be read/);
  });

  it('lets exactly one of several processes take over a stale lock', async () => {
    writeLock({ pid: deadPid() });
    const goDir = path.join(temp.dir, 'go');
    mkdirSync(goDir);
    const outputs = await runTogether('test/fixtures/acquire-lock-process.ts', [temp.dir, '3000'], { count: 4, rounds: 1, goDir });
    const outcomes = outputs.flat().map((line) => JSON.parse(line) as { pid: number; outcome: string; message?: string });
    const owners = outcomes.filter((o) => o.outcome === 'owner');
    expect(owners).toHaveLength(1);
    for (const other of outcomes.filter((o) => o.outcome !== 'owner')) {
      expect(other.outcome).toBe('LIBRARY_IN_USE');
      expect(other.message).toContain(`(pid ${owners[0]!.pid}, cli, since`);
    }
  });
});
