// The CLI beside a running `serve` (the library's owner, in another process): read-only commands work, a writer is
// told who owns the library and exits 75; a killed owner's lock is taken over; on a read-only library the commands
// that read work and a change ends in one sentence, never a stack trace.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_LIBRARY_IN_USE } from '../../../src-main/cli/main';
import { readLibraryLock } from '../../../src-main/core/library-lock';
import { startServe } from '../../e2e/support/serve-process';
import { makeReadOnly } from '../../fixtures/read-only-folder';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';
import { captureCliText } from '../../fixtures/capture-cli';

let temp: ReturnType<typeof makeTempDir>;
let library: string;
let photos: string;

const cli = (...args: string[]) => captureCliText(['--library', library, ...args]);

beforeAll(async () => {
  temp = makeTempDir('sporeprint-cli-access-');
  library = path.join(temp.dir, 'library');
  photos = path.join(temp.dir, 'photos', 'Cantharellus cibarius');
  mkdirSync(photos, { recursive: true });
  for (const seed of [11, 12, 13]) writeFileSync(path.join(photos, `${seed}.jpg`), await makePhoto(seed, { width: 640, height: 480 }));
  expect((await cli('ingest', photos, '--workers', '1')).code).toBe(0);
});
afterAll(() => temp?.cleanup());

describe('the CLI beside a running serve', () => {
  it('reads beside the owner, refuses to write naming it, and takes over once the owner was killed', async () => {
    const serve = await startServe(library);
    try {
      // serve opens the library once, in the worker that owns it for the server (tsx runs serve in a child of its own).
      const owner = readLibraryLock(library);
      expect(owner).toMatchObject({ app: 'serve' });
      const pid = (owner as { pid: number }).pid;
      expect(pid).not.toBe(process.pid);

      const stats = await cli('stats', '--json');
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.out)).toMatchObject({ images: 3 });
      expect((await cli('duplicates', '--json')).code).toBe(0);
      expect((await cli('search', '--image', '1', '--json')).code).toBe(0);
      expect((await cli('export', path.join(temp.dir, 'dry'), '--dry-run', '--min-per-class', '1')).code).toBe(0);

      const ingest = await cli('ingest', photos);
      expect(ingest.code).toBe(EXIT_LIBRARY_IN_USE);
      expect(ingest.err).toMatch(
        new RegExp(`^error \\(LIBRARY_IN_USE\\): .*this library is open in Sporeprint \\(pid ${pid}, serve, since `),
      );
      expect((await cli('label', '1', '--state', 'human_verified')).code).toBe(EXIT_LIBRARY_IN_USE);
      // The owner still answers, its running state untouched by the readers.
      expect((await serve.call('stats.get', {})).images).toBe(3);

      const exited = new Promise((resolve) => serve.child.once('exit', resolve));
      process.kill(pid, 'SIGKILL');
      await exited;
      expect(readLibraryLock(library)).toMatchObject({ pid });
      const after = await cli('label', '1', '--state', 'human_verified');
      expect(after.err).toBe('');
      expect(after.code).toBe(0);
      expect(readLibraryLock(library)).toBeNull();
    } finally {
      await serve.stop();
    }
  });

  it('releases the lock when serve stops normally', async () => {
    const serve = await startServe(library);
    await serve.stop();
    expect(readLibraryLock(library)).toBeNull();
  });
});

describe('the CLI on a read-only library', () => {
  it('reads, and refuses a change in one sentence without a stack trace', async (ctx) => {
    const undo = makeReadOnly(library);
    if (!undo) return ctx.skip();
    try {
      const stats = await cli('stats');
      expect(stats.code).toBe(0);
      expect(stats.out).toMatch(/images\s+3/);
      expect((await cli('duplicates')).code).toBe(0);
      expect((await cli('search', '--image', '2')).code).toBe(0);
      const label = await cli('label', '2', '--state', 'disputed');
      expect(label.code).toBe(1);
      expect(label.err).toMatch(/^error \(LIBRARY_READ_ONLY\): labels\.set changes the library, but the library is read-only \(/);
      expect(label.err).not.toMatch(/\n\s+at /);
      const ingest = await cli('ingest', photos);
      expect(ingest.err).toMatch(/the library is read-only/);
    } finally {
      undo();
    }
  });
});
