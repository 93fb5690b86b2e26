// The library log: JSON lines in <library>/logs, rotated by size; debug lines only when verbose, echoed in words.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_FILE, logFolder, openLibraryLog } from '../../../../src-main/core/logging/library-log';
import { makeTempDir } from '../../../fixtures/temp-library';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('sporeprint-log-')));
afterEach(() => temp.cleanup());

const lines = (file = path.join(logFolder(temp.dir), LOG_FILE)) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { level: number; msg: string; time: string; pid: number; err?: { stack: string } });

describe('openLibraryLog', () => {
  it('writes info and above as JSON lines with time, pid and an error stack; no debug unless verbose', async () => {
    const { log, close } = openLibraryLog(temp.dir, true);
    log.debug('not kept');
    log.info({ jobId: 3 }, 'job 3 (ingest) started');
    log.error({ err: new Error('disk full') }, 'job 3 (ingest) failed: disk full');
    await close();
    const written = lines();
    expect(written.map((l) => l.msg)).toEqual(['job 3 (ingest) started', 'job 3 (ingest) failed: disk full']);
    expect(written[0]).toMatchObject({ level: 30, pid: process.pid, jobId: 3 });
    expect(Date.parse(written[0]!.time)).not.toBeNaN();
    expect(written[1]!.err!.stack).toMatch(/^Error: disk full\n\s+at /);
  });

  it('with verbose keeps debug lines and echoes every line in words', async () => {
    const echoed: string[] = [];
    const { log, close } = openLibraryLog(temp.dir, true, { verbose: true, echo: (l) => echoed.push(l) });
    log.debug('stats.get answered in 3 ms');
    log.error({ err: new Error('boom') }, 'export failed');
    await close();
    expect(lines().map((l) => l.msg)).toEqual(['stats.get answered in 3 ms', 'export failed']);
    expect(echoed[0]).toBe('debug stats.get answered in 3 ms');
    expect(echoed[1]).toMatch(/^error export failed\nError: boom\n\s+at /);
  });

  it('rotates by size, keeping the configured number of old files', async () => {
    const { log, close } = openLibraryLog(temp.dir, true, { rotation: { size: '2K', keep: 2 } });
    for (let i = 0; i < 200; i++) log.info({ i, padding: 'x'.repeat(60) }, `line ${i}`);
    await close();
    const files = readdirSync(logFolder(temp.dir))
      .filter((f) => f.startsWith(LOG_FILE))
      .sort();
    expect(files).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
    // The newest lines are in the live file, whole.
    expect(lines().at(-1)!.msg).toBe('line 199');
  });

  it('writes nothing to disk for a process that does not own the library', async () => {
    const echoed: string[] = [];
    const { log, dir, close } = openLibraryLog(temp.dir, false, { verbose: true, echo: (l) => echoed.push(l) });
    log.debug('read beside the owner');
    await close();
    expect(dir).toBeNull();
    expect(existsSync(logFolder(temp.dir))).toBe(false);
    expect(echoed).toEqual(['debug read beside the owner']);
  });
});
