// The media resolver: only content-addressed derivative files inside the library, no traversal, no symlink escape.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveDerivativeFile } from '../../../src-main/server/derivative-file';
import { makeTempDir } from '../../fixtures/temp-library';

const SHA = 'ab'.padEnd(64, 'c');
const THUMB = `derivatives/ab/${SHA}/thumb.jpg`;

describe('resolveDerivativeFile', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(path.join(dir, 'derivatives/ab', SHA), { recursive: true });
    writeFileSync(path.join(dir, THUMB), Buffer.from([0xff, 0xd8, 0xff]));
    writeFileSync(path.join(dir, 'catalog.db'), 'not for clients');
  });
  afterEach(() => cleanup());

  it('resolves a derivative with its content type and size', () => {
    const file = resolveDerivativeFile(dir, THUMB);
    expect(file.absolutePath.endsWith(path.join(SHA, 'thumb.jpg'))).toBe(true);
    expect(file.contentType).toBe('image/jpeg');
    expect(file.size).toBe(3);
  });

  it('refuses traversal, other folders and odd names with INVALID_INPUT', () => {
    for (const bad of [
      'derivatives/../catalog.db',
      `derivatives/ab/${SHA}/../../../catalog.db`,
      'catalog.db',
      `derivatives/ab/${SHA}/thumb.db`,
      `originals/ab/${SHA}/thumb.jpg`,
      `/etc/passwd`,
    ]) {
      expect(() => resolveDerivativeFile(dir, bad), bad).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('answers NOT_FOUND for a well-formed path that does not exist', () => {
    expect(() => resolveDerivativeFile(dir, `derivatives/ab/${SHA}/large.jpg`)).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('refuses a symlink that leads out of the derivatives folder', () => {
    symlinkSync(path.join(dir, 'catalog.db'), path.join(dir, 'derivatives/ab', SHA, 'medium.jpg'));
    expect(() => resolveDerivativeFile(dir, `derivatives/ab/${SHA}/medium.jpg`)).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
