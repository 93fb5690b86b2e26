// What is wrong with a file versus what went wrong around it; a derivative write on a full disk is DISK_FULL,
// never a verdict on the photo (fault injected into the file system calls of writeDerivatives).
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SporeprintError } from '../../../../src-main/core/errors';
import { makeTempDir } from '../../../fixtures/temp-library';

const injected = vi.hoisted(() => ({ errno: null as string | null }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    writeFileSync: ((...args: Parameters<typeof real.writeFileSync>) => {
      if (injected.errno) throw Object.assign(new Error(`${injected.errno}: injected, write`), { code: injected.errno });
      return real.writeFileSync(...args);
    }) as typeof real.writeFileSync,
  };
});

const { ioFault, isDiskFull, isPermanentFileFault } = await import('../../../../src-main/core/files/io-fault');
const { writeDerivatives, renderDerivativeLadder } = await import('../../../../src-main/core/imaging/derivatives');
const { renderPhotoRaw } = await import('../../../fixtures/synthetic-photos');

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  injected.errno = null;
});

describe('io faults', () => {
  it('keeps verdicts on the file permanent and everything around it retryable', () => {
    for (const code of ['UNSUPPORTED_FORMAT', 'CORRUPT_IMAGE', 'TOO_SMALL', 'EXTREME_ASPECT_RATIO', 'FILE_TOO_LARGE'] as const)
      expect(isPermanentFileFault(code)).toBe(true);
    for (const code of ['UNREADABLE', 'NOT_FOUND', 'IO_FAILED', 'DISK_FULL', 'INTERNAL'] as const)
      expect(isPermanentFileFault(code)).toBe(false);
  });

  it('names a full disk or quota DISK_FULL and other errnos IO_FAILED', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });
    expect(ioFault(errno('ENOSPC'), '/x', 'write a derivative')).toMatchObject({ code: 'DISK_FULL', path: '/x' });
    expect(ioFault(errno('EDQUOT'), '/x', 'write')).toMatchObject({ code: 'DISK_FULL' });
    expect(isDiskFull(errno('SQLITE_FULL'))).toBe(true);
    for (const code of ['EACCES', 'EIO', 'ENOENT', 'EMFILE']) expect(ioFault(errno(code), '/x', 'write').code).toBe('IO_FAILED');
    const already = new SporeprintError('CORRUPT_IMAGE', 'bad', '/x');
    expect(ioFault(already, '/y', 'write')).toBe(already);
  });

  it('a derivative write failing with ENOSPC is DISK_FULL naming the target, with EIO IO_FAILED', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const ladder = await renderDerivativeLadder(await renderPhotoRaw(44, 400, 300));
    injected.errno = 'ENOSPC';
    const full = await writeDerivatives(dir, 'c'.repeat(64), ladder, path.join(dir, 'tmp')).catch((e: unknown) => e);
    expect(full).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/no space left to write a derivative/) });
    injected.errno = 'EIO';
    await expect(writeDerivatives(dir, 'c'.repeat(64), ladder, path.join(dir, 'tmp'))).rejects.toMatchObject({ code: 'IO_FAILED' });
    injected.errno = null;
    expect(Object.keys(await writeDerivatives(dir, 'c'.repeat(64), ladder, path.join(dir, 'tmp')))).toHaveLength(8);
  });
});
