// `sporeprint serve` listens for SIGINT and SIGTERM before it prints its URL: whoever reads the URL may stop it at
// once, and a SIGTERM arriving before a listener exists ends the process without closing the library, leaving its
// lock behind (seen once in the full suite: library-access.test.ts stopped serve right after its first line).
import { afterAll, describe, expect, it } from 'vitest';
import { serveCommand } from '../../../src-main/cli/commands/serve';
import { readLibraryLock } from '../../../src-main/core/library-lock';
import { announcementFor, writeCatalogueBeforeVectorRows } from '../../fixtures/catalogue-before-vector-rows';
import { makeTempDir } from '../../fixtures/temp-library';

const { dir, cleanup } = makeTempDir('sporeprint-serve-signals-');
afterAll(() => cleanup());

describe('sporeprint serve', () => {
  it('listens for SIGTERM before the URL is printed, and a SIGTERM then closes the library', async () => {
    const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
    let atPrint: { term: number; int: number } | null = null;
    const run = serveCommand.run(
      dir,
      { values: { port: '0' }, positionals: [] },
      {
        out: () => {
          atPrint = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
          // Stopped the moment the URL is out (emit calls the listeners; it sends no signal).
          setImmediate(() => process.emit('SIGTERM'));
        },
        err: () => {},
        interactive: false,
      },
    );
    expect(await run).toBe(0);
    expect(atPrint).toEqual({ term: before.term + 1, int: before.int + 1 });
    expect(readLibraryLock(dir)).toBeNull();
    // The listener it did not need is gone with the run.
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });

  it('says on stderr, before its URL, what bringing an older catalogue up to date does', async () => {
    const older = makeTempDir('sporeprint-serve-migrating-');
    try {
      writeCatalogueBeforeVectorRows(older.dir, 30);
      const lines: string[] = [];
      const run = serveCommand.run(
        older.dir,
        { values: { port: '0' }, positionals: [] },
        {
          out: (line) => {
            lines.push(`out: ${line}`);
            setImmediate(() => process.emit('SIGTERM'));
          },
          err: (line) => lines.push(`err: ${line}`),
          interactive: false,
        },
      );
      expect(await run).toBe(0);
      expect(lines[0]).toBe(`err: sporeprint: ${announcementFor(30)}`);
      expect(lines[1]).toMatch(/^out: http:\/\/127\.0\.0\.1:\d+\//);
    } finally {
      older.cleanup();
    }
  });
});
