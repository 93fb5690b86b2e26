// The doctor's reading of a library's owner lock (`library.lock`, the format fixed with the library host).
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockOwnerCheck } from '../../../../src-main/core/doctor/lock-owner';
import type { LibraryLockInfo as LibraryLock } from '../../../../src-main/core/library-lock';
import { makeTempDir } from '../../../fixtures/temp-library';

const tmp = makeTempDir('sporeprint-lock-');
afterAll(() => tmp.cleanup());
const NOW = new Date('2026-11-20T10:00:00Z');
const HOST = 'curation-pc';

function withLock(lock: Partial<LibraryLock> | string): string {
  const dir = mkdtempSync(path.join(tmp.dir, 'library-'));
  const full: LibraryLock = {
    pid: 4242,
    hostname: HOST,
    app: 'desktop',
    startedAt: '2026-11-20T09:00:00.000Z',
    heartbeatAt: '2026-11-20T09:59:55.000Z',
    ...(typeof lock === 'string' ? {} : lock),
  };
  writeFileSync(path.join(dir, 'library.lock'), typeof lock === 'string' ? lock : JSON.stringify(full));
  return dir;
}

describe('lockOwnerCheck', () => {
  it('a library without a lock is free', () => {
    const c = lockOwnerCheck(tmp.dir, NOW, HOST);
    expect(c).toMatchObject({ section: 'library', status: 'ok' });
    expect(c.detail).toContain('no library.lock');
  });

  it('names the owner on this machine while it runs (another process, or this one)', () => {
    const other = lockOwnerCheck(withLock({ pid: process.ppid, app: 'serve' }), NOW, HOST);
    expect(other.status).toBe('ok');
    expect(other.detail).toBe(
      `in use by sporeprint serve (pid ${process.ppid} on ${HOST}, since 2026-11-20T09:00:00.000Z, heartbeat 5 s ago)`,
    );
    const self = lockOwnerCheck(withLock({ pid: process.pid }), NOW, HOST, process.pid);
    expect(self.detail).toMatch(/^held by this process: sporeprint desktop/);
  });

  it('a lock left by a process that no longer runs on this machine is stale: the next open takes it over', () => {
    const c = lockOwnerCheck(withLock({ pid: 2 ** 22 + 17, app: 'cli' }), NOW, HOST);
    expect(c.status).toBe('ok');
    expect(c.detail).toContain(`stale (its process (pid ${2 ** 22 + 17}) has ended)`);
    expect(c.detail).toContain('the next Sporeprint to open the library takes it over');
  });

  it('another machine: trusted while its heartbeat is recent, stale once it is older than the takeover limit', () => {
    expect(lockOwnerCheck(withLock({ hostname: 'lab-server' }), NOW, HOST).detail).toMatch(/^in use by sporeprint desktop/);
    const stale = lockOwnerCheck(withLock({ hostname: 'lab-server', heartbeatAt: '2026-11-20T09:00:00.000Z' }), NOW, HOST);
    expect(stale.detail).toContain('heartbeat 60 min ago): stale (its heartbeat stopped 3600 s ago)');
  });

  it('a file that is not a Sporeprint lock is reported, not trusted', () => {
    expect(lockOwnerCheck(withLock('{"pid": "x"}'), NOW, HOST)).toMatchObject({ status: 'warn' });
    expect(lockOwnerCheck(withLock('not json'), NOW, HOST).detail).toContain('is not a Sporeprint lock');
  });
});
