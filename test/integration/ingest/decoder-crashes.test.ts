// A file that kills the decode worker on every run is not retried forever: its crashes are counted per file in
// the failure table, and the DECODER_CRASH_LIMIT-th crash on unchanged bytes makes it a rejection (issue 13).
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECODER_CRASH_LIMIT } from '../../../src-shared/defaults';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const MARKER = 'sporeprint-crash-the-decoder';
const cleanups: (() => void | Promise<void>)[] = [];
beforeAll(() => {
  // The decode worker's test hook: a file holding the marker makes the worker thread exit mid-task.
  process.env.SPOREPRINT_TEST_DECODER_CRASH_MARKER = MARKER;
});
afterAll(async () => {
  delete process.env.SPOREPRINT_TEST_DECODER_CRASH_MARKER;
  for (const c of cleanups.reverse()) await c();
});

describe('a file that crashes the decoder', () => {
  it(`is a failure ${DECODER_CRASH_LIMIT - 1} times, then a rejection; --retry-rejected tries it again; new bytes start over`, async () => {
    const photos = makeTempDir('sporeprint-crash-');
    cleanups.push(photos.cleanup);
    for (let i = 0; i < 2; i++)
      writeFileSync(path.join(photos.dir, `fine${i}.jpg`), await makePhoto(7700 + i, { width: 640, height: 480 }));
    // A valid JPEG with the marker after its end: only the hook makes it crash, so the crash is the only fault.
    const crasher = path.join(photos.dir, 'crasher.jpg');
    writeFileSync(crasher, Buffer.concat([await makePhoto(7710, { width: 640, height: 480 }), Buffer.from(MARKER)]));
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const rejections = async () => (await lib.invoke('rejected.list', {})).items;

    const first = await ingestAndWait(lib, [photos.dir], { workers: 1 });
    expect(first.result).toMatchObject({ added: 2, failed: 1, rejected: 0, failedByReason: { INTERNAL: 1 } });
    for (let run = 2; run < DECODER_CRASH_LIMIT; run++)
      expect((await ingestAndWait(lib, [photos.dir], { workers: 1 })).result).toMatchObject({ unchanged: 2, failed: 1, rejected: 0 });
    expect(await rejections()).toEqual([]);

    const last = await ingestAndWait(lib, [photos.dir], { workers: 1 });
    expect(last.result).toMatchObject({ failed: 0, rejected: 1, rejectedByReason: { CORRUPT_IMAGE: 1 } });
    const [rejection] = await rejections();
    expect(rejection).toMatchObject({ path: crasher, code: 'CORRUPT_IMAGE' });
    expect(rejection!.message).toMatch(new RegExp(`^crashed the decoder ${DECODER_CRASH_LIMIT} times \\(the last: a worker thread exited`));
    expect((await lib.invoke('stats.get', {})).failed).toEqual({});

    // Unchanged: not tried again (no crash, no failure).
    expect((await ingestAndWait(lib, [photos.dir], { workers: 1 })).result).toMatchObject({
      failed: 0,
      rejected: 0,
      previouslyRejected: 1,
    });
    // --retry-rejected decodes it again: it crashes again (a failure, counted from one), and the rejection stands.
    const retried = await lib.waitForJob(
      (await lib.invoke('ingest.start', { paths: [photos.dir], workers: 1, retryRejected: true })).jobId,
    );
    expect(retried.result).toMatchObject({ failed: 1, rejected: 0, previouslyRejected: 0 });
    expect(await rejections()).toMatchObject([{ path: crasher }]);

    // Changed bytes are another file: tried again, and the count starts over.
    appendFileSync(crasher, 'x');
    for (let run = 1; run < DECODER_CRASH_LIMIT; run++)
      expect((await ingestAndWait(lib, [photos.dir], { workers: 1 })).result).toMatchObject({ failed: 1, rejected: 0 });
    expect((await ingestAndWait(lib, [photos.dir], { workers: 1 })).result).toMatchObject({ failed: 0, rejected: 1 });
  }, 120_000);
});
