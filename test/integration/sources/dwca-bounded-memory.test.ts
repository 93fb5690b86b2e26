// A Darwin Core Archive whose occurrence table is larger than the JavaScript heap imports (issue 13): the core
// and extension are streamed row by row from their zip entries, never held whole. The reader, then the whole
// import job, run in a child process whose heap is capped below the table's size, so holding the table (as text
// or as rows) cannot pass: the reader before streaming ran out of memory there.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLargeDwcaZip } from '../../fixtures/large-dwca';
import { makeTempDir } from '../../fixtures/temp-library';

const tmp = makeTempDir('sporeprint-dwca-large-');
afterAll(() => tmp.cleanup());
const reader = fileURLToPath(new URL('../../fixtures/read-dwca-records.ts', import.meta.url));
const HEAP_MB = 64;

describe('a large archive', () => {
  it(`imports with a ${HEAP_MB} MB heap although its occurrence table is larger, rows processed in batches`, () => {
    const zip = path.join(tmp.dir, 'large.zip');
    const occurrences = 220_000;
    const { occurrenceBytes, mediaRows } = writeLargeDwcaZip(zip, { occurrences, withMedia: 0.02 });
    expect(occurrenceBytes).toBeGreaterThan(1.4 * HEAP_MB * 1024 * 1024);
    const child = (...args: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', reader, zip, ...args], {
          encoding: 'utf8',
          cwd: path.resolve(path.dirname(reader), '../..'),
        }),
      ) as { occurrences: number; records: number; batches: Record<string, number>; peakHeapBytes: number; status?: string };

    const read = child();
    expect(read.occurrences).toBe(occurrences);
    expect(read.records).toBe(mediaRows);
    // Incremental: the core arrived in many pieces (one per chunk inflated), and the heap never held the table.
    expect(read.batches['occurrence.txt']).toBeGreaterThan(50);
    expect(read.peakHeapBytes).toBeLessThan(occurrenceBytes / 2);

    // The whole import job, catalogue and all, under the same heap.
    const job = child('--job');
    expect(job).toMatchObject({ status: 'completed', occurrences, records: mediaRows, remoteSkipped: mediaRows });
    expect(job.peakHeapBytes).toBeLessThan(occurrenceBytes / 2);
  }, 180_000);
});
