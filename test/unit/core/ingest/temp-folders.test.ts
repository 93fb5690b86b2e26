// The temp root of derivative writes (derivatives/.tmp) when something other than a folder stands in its place.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleTempDirs } from '../../../../src-main/core/ingest/temp-folders';
import { TEMP_DIR } from '../../../../src-main/core/library-paths';
import { makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function library(): string {
  const { dir, cleanup } = makeTempDir('sporeprint-tmproot-');
  cleanups.push(cleanup);
  mkdirSync(path.join(dir, path.dirname(TEMP_DIR)), { recursive: true });
  return dir;
}

describe('removeStaleTempDirs', () => {
  it('removes a stray file where the temp folder belongs (was: ENOTDIR), so the run can make its folder', async () => {
    const dir = library();
    const root = path.join(dir, TEMP_DIR);
    writeFileSync(root, 'not a folder');
    await removeStaleTempDirs(dir);
    expect(existsSync(root)).toBe(false);
    mkdirSync(path.join(root, `${process.pid}-1`), { recursive: true });
  });

  it('unlinks a symlink in its place without touching what it points to', async () => {
    const dir = library();
    const outside = makeTempDir('sporeprint-outside-');
    cleanups.push(outside.cleanup);
    // Looks like a dead run's temp folder: followed, the cleanup would delete it.
    mkdirSync(path.join(outside.dir, '999999999-1'));
    writeFileSync(path.join(outside.dir, '999999999-1', 'keep.txt'), 'user data');
    symlinkSync(outside.dir, path.join(dir, TEMP_DIR));
    await removeStaleTempDirs(dir);
    expect(existsSync(path.join(dir, TEMP_DIR))).toBe(false);
    expect(readFileSync(path.join(outside.dir, '999999999-1', 'keep.txt'), 'utf8')).toBe('user data');
  });

  it('does nothing when derivatives/ itself is missing or a file', async () => {
    const { dir, cleanup } = makeTempDir('sporeprint-tmproot-');
    cleanups.push(cleanup);
    await removeStaleTempDirs(dir);
    writeFileSync(path.join(dir, path.dirname(TEMP_DIR)), 'a file');
    await removeStaleTempDirs(dir);
    expect(readFileSync(path.join(dir, path.dirname(TEMP_DIR)), 'utf8')).toBe('a file');
  });
});
