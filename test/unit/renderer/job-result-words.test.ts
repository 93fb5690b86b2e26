// A finished job's outcome in words, and which error banner a view shows (the last action's, so a success clears it).
import { describe, expect, it } from 'vitest';
import { ingestResultWords, jobResultWords } from '../../../src-renderer/components/job-result-words';
import { latestActionError } from '../../../src-renderer/components/latest-error';

describe('job results in words', () => {
  it('reads an ingest result as sentences, leaving out what did not happen', () => {
    const lines = ingestResultWords({
      scanned: 160,
      unchanged: 4,
      previouslyRejected: 1,
      added: 150,
      copies: 2,
      rejected: 3,
      rejectedByReason: { UNSUPPORTED_FORMAT: 2, EMPTY_FILE: 1 },
      failed: 0,
      failedByReason: {},
      skipped: 0,
      skippedPaths: [],
      derivativesRebuilt: 0,
      derivativesUnrecoverable: 0,
      sidecars: 1,
      claimsUpdated: 0,
      licensed: 0,
      imageIds: [1, 2, 3],
    });
    expect(lines).toEqual([
      '150 new photos added from 160 files looked at',
      '2 copies of photos already in the library: their new place recorded',
      '4 unchanged since the last import, 1 of them rejected before and not tried again',
      '3 files rejected (2 not an image Sporeprint reads, 1 empty): listed below with the reason',
      '1 sidecar file read',
    ]);
    expect(lines.join(' ')).not.toMatch(/[a-z][A-Z]|_/);
  });

  it('says when nothing was added, and spells out other jobs’ fields', () => {
    expect(ingestResultWords({ scanned: 1, added: 0 })).toEqual(['0 new photos added from 1 file looked at']);
    expect(jobResultWords({ kind: 'export', result: { imagesWritten: 12, outDir: '/data/x', splits: { train: 1 } } })).toEqual([
      'images written: 12',
      'out dir: /data/x',
    ]);
    expect(jobResultWords({ kind: 'ingest', result: null })).toEqual([]);
  });

  it('lists what a finished export left out, rule by rule, and why it is empty', () => {
    const hint = '3 photo(s) have no licence: set one with `sporeprint license set <folder> --license CC-BY-4.0`';
    expect(
      jobResultWords({
        kind: 'export',
        result: {
          images: 0,
          outDir: '/data/x',
          emptyReason: `nothing to export: ${hint}`,
          leftOut: [{ rule: 'license_unknown', images: 3, hint }],
        },
      }),
    ).toEqual(['images: 0', 'out dir: /data/x', `Nothing exported: nothing to export: ${hint}`, `left out, license unknown: ${hint}`]);
    expect(jobResultWords({ kind: 'export', result: { images: 4, emptyReason: null, leftOut: [] } })).toEqual([
      'images: 4',
      'left out: nothing',
    ]);
  });
});

describe('latestActionError', () => {
  const fail = new Error('no such folder');
  it('shows the error of the action submitted last, and nothing once a later one succeeded', () => {
    expect(latestActionError([{ title: 'Import did not start', error: fail, submittedAt: 10 }])).toEqual({
      title: 'Import did not start',
      error: fail,
    });
    expect(
      latestActionError([
        { title: 'Import did not start', error: fail, submittedAt: 10 },
        { title: 'Cancel failed', error: null, submittedAt: 20 },
      ]),
    ).toBeNull();
    expect(
      latestActionError([
        { title: 'Preview failed', error: null, submittedAt: 30 },
        { title: 'Export did not start', error: fail, submittedAt: 40 },
      ]),
    ).toEqual({ title: 'Export did not start', error: fail });
    expect(latestActionError([{ title: 'never run', error: null, submittedAt: 0 }])).toBeNull();
  });
});
