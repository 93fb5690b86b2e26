// One bad path never aborts a scan: each is a listed, reasoned skip and the rest of the folder is scanned
// (issue 13 part 3). Unreadable folders and vanishing files are injected (root reads any folder).
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../../fixtures/temp-library';

const faults = vi.hoisted(() => ({ readdir: new Set<string>(), stat: new Set<string>() }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fail = (code: string, target: unknown) => Object.assign(new Error(`${code}: injected, ${String(target)}`), { code });
  return {
    ...real,
    readdir: (async (target: string, options: never) => {
      if (faults.readdir.has(String(target))) throw fail('EACCES', target);
      return real.readdir(target, options);
    }) as typeof real.readdir,
    stat: (async (target: string, options: never) => {
      if (faults.stat.has(String(target))) throw fail('ENOENT', target);
      return real.stat(target, options);
    }) as typeof real.stat,
  };
});

const { scanFiles } = await import('../../../../src-main/core/ingest/scan-files');

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  faults.readdir.clear();
  faults.stat.clear();
});

function folder(): string {
  const { dir, cleanup } = makeTempDir('sporeprint-scan-');
  cleanups.push(cleanup);
  return dir;
}

describe('scanFiles', () => {
  it('lists a non-UTF-8 file name beside a subfolder as skipped, and scans the rest', async () => {
    const dir = folder();
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'a.jpg'), 'a');
    writeFileSync(path.join(dir, 'b.jpg'), 'b');
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from('.jpg')]), 'latin-1 name');
    const scan = await scanFiles([dir]);
    expect(scan.files.map((f) => path.relative(dir, f.path))).toEqual(['b.jpg', path.join('sub', 'a.jpg')]);
    expect(scan.skipped).toHaveLength(1);
    expect(scan.skipped[0]!.reason).toMatch(/not valid UTF-8/);
  });

  it('lists an unreadable subfolder and a file vanishing during the scan, and scans the rest', async () => {
    const dir = folder();
    mkdirSync(path.join(dir, 'locked'));
    writeFileSync(path.join(dir, 'locked', 'x.jpg'), 'x');
    writeFileSync(path.join(dir, 'gone.jpg'), 'g');
    writeFileSync(path.join(dir, 'kept.jpg'), 'k');
    faults.readdir.add(path.join(dir, 'locked'));
    faults.stat.add(path.join(dir, 'gone.jpg'));
    const scan = await scanFiles([dir]);
    expect(scan.files.map((f) => path.basename(f.path))).toEqual(['kept.jpg']);
    expect(scan.skipped).toEqual([
      { path: path.join(dir, 'gone.jpg'), reason: expect.stringMatching(/vanished during the scan \(ENOENT\)/) },
      { path: path.join(dir, 'locked'), reason: expect.stringMatching(/folder cannot be read \(EACCES\)/) },
    ]);
  });

  it('follows symlinked files and folders, lists broken links and stops at a loop', async () => {
    const dir = folder();
    const elsewhere = folder();
    writeFileSync(path.join(elsewhere, 'far.jpg'), 'far');
    mkdirSync(path.join(dir, 'real'));
    writeFileSync(path.join(dir, 'real', 'r.jpg'), 'r');
    symlinkSync(path.join(elsewhere, 'far.jpg'), path.join(dir, 'link.jpg'));
    symlinkSync(elsewhere, path.join(dir, 'linked-folder'));
    symlinkSync(path.join(dir, 'nowhere.jpg'), path.join(dir, 'broken.jpg'));
    symlinkSync(dir, path.join(dir, 'real', 'loop'));
    const scan = await scanFiles([dir]);
    expect(scan.files.map((f) => path.relative(dir, f.path))).toEqual([
      'link.jpg',
      path.join('linked-folder', 'far.jpg'),
      path.join('real', 'r.jpg'),
    ]);
    expect(scan.files[0]!.size).toBe(3);
    expect(scan.skipped.map((s) => [path.relative(dir, s.path), s.reason.split(' (')[0]!.split(':')[0]])).toEqual([
      ['broken.jpg', 'broken symlink'],
      [path.join('real', 'loop'), 'symlink loop'],
    ]);
  });

  it('lists FIFOs and devices as skipped instead of ignoring them', async () => {
    const dir = folder();
    execFileSync('mkfifo', [path.join(dir, 'pipe.jpg')]);
    symlinkSync('/dev/zero', path.join(dir, 'zero.jpg'));
    writeFileSync(path.join(dir, 'ok.jpg'), 'ok');
    const scan = await scanFiles([dir, '/dev/zero']);
    expect(scan.files.map((f) => path.basename(f.path))).toEqual(['ok.jpg']);
    expect(scan.skipped.map((s) => [path.basename(s.path), s.reason])).toEqual([
      ['zero', 'a character device, not a photo file'],
      ['pipe.jpg', 'not a regular file (FIFO, device or socket)'],
      ['zero.jpg', 'a character device, not a photo file'],
    ]);
  });
});
