// The re-clustering's candidate join on the shared-data transformation set (real photographs and their copies by
// every transformation of variants.ts and hard-variants.ts): it must offer exactly the pairs the pairwise hash
// rule passes (some flip/rotation of one within the threshold of the other's whole picture or a region, or within
// the whole-picture margin of the other's whole picture), so the
// end-to-end recall the content check reports per transformation class is not changed by how candidates are found.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../../../src-shared/defaults';
import { DuplicateIndex } from '../../../../src-main/core/duplicates/duplicate-index';
import { fingerprintMatches, wholePictureDistance, wholePictureMargin } from '../../../../src-main/core/duplicates/fingerprint-distance';
import { JoinWorkers } from '../../../../src-main/core/duplicates/parallel-join';
import { hasSharedData, SHARED_DATA_SKIP_REASON } from '../../../fixtures/shared-data';
import { transformationSet } from '../../../fixtures/transformation-set';

const T = DEFAULT_DUPLICATE_THRESHOLD;

describe.skipIf(!hasSharedData)('candidate join on the shared-data transformation set', () => {
  it('offers every pair the pairwise hash rule passes, and only those, with the same distance', async () => {
    const items = await transformationSet('eval', 4);
    const index = new DuplicateIndex();
    items.forEach((item, id) => index.add(id, item.subject.fingerprint));
    const expected = new Map<string, number>();
    for (let a = 0; a < items.length; a++)
      for (let b = a + 1; b < items.length; b++) {
        const d = Math.min(...fingerprintMatches(items[a]!.subject.fingerprint, items[b]!.subject.fingerprint).map((m) => m.distance));
        const whole = wholePictureDistance(items[a]!.subject.fingerprint, items[b]!.subject.fingerprint);
        if (d <= T) expected.set(`${a}:${b}`, d);
        else if (whole <= T + wholePictureMargin(T)) expected.set(`${a}:${b}`, whole);
      }
    // Most copies of each photo are candidates of it (the rest are beyond the threshold under every hash pair).
    const copies = items.filter((it) => it.kind !== null).length;
    expect(copies).toBeGreaterThan(80);
    const copyPairs = [...expected.keys()].filter((k) => {
      const [a, b] = k.split(':').map(Number) as [number, number];
      return items[a]!.origin === items[b]!.origin;
    });
    expect(copyPairs.length).toBeGreaterThan(copies * 0.8);
    const workers = new JoinWorkers(2, 0);
    const joined = new Map<string, number>();
    try {
      await index.forEachCandidatePair(T, workers, (a, b, distance) => joined.set(`${a}:${b}`, distance));
    } finally {
      await workers.close();
    }
    expect(joined).toEqual(expected);
  }, 600_000);
});

if (!hasSharedData) console.log(SHARED_DATA_SKIP_REASON);
