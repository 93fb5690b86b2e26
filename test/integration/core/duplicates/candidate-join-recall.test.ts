// The re-clustering's candidate join on the shared-data transformation set (real photographs and their copies by
// every transformation of variants.ts and hard-variants.ts): it must offer exactly the pairs the pairwise hash
// rule passes (some flip/rotation of one within the threshold of the other's whole picture or a region, when some
// hash pair is within the 128-bit edge key too (edgeKeyAgrees, fingerprint v5), or through a wide gate of content-only-gate.ts: whole pictures within their margins (upright ones within the upright key too), an upright picture within the threshold
// of an off-centre window), with the smallest distance among the hash pairs that pass, so the
// end-to-end recall the content check reports per transformation class is not changed by how candidates are found.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../../../src-shared/defaults';
import { DuplicateIndex } from '../../../../src-main/core/duplicates/duplicate-index';
import {
  candidateGates,
  offCentreDistance,
  uprightGatePasses,
  uprightWholeDistance,
} from '../../../../src-main/core/duplicates/content-only-gate';
import { edgeKeyAgrees, fingerprintMatches, wholePictureDistance } from '../../../../src-main/core/duplicates/fingerprint-distance';
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
    const gates = candidateGates(T);
    for (let a = 0; a < items.length; a++)
      for (let b = a + 1; b < items.length; b++) {
        const fa = items[a]!.subject.fingerprint;
        const fb = items[b]!.subject.fingerprint;
        const passing = [
          [edgeKeyAgrees(fa, fb, T) ? Math.min(...fingerprintMatches(fa, fb).map((m) => m.distance)) : 64, T],
          // A margin of 0 turns the gate off (content-only-gate.ts), it does not mean whole pictures within T.
          [gates.wholeMargin > 0 ? wholePictureDistance(fa, fb) : 64, T + gates.wholeMargin],
          // The upright gate: within its margin and the upright key (pHash + edge hash of the upright pictures).
          [uprightGatePasses(fa, fb, uprightWholeDistance(fa, fb), T, gates) ? uprightWholeDistance(fa, fb) : 64, T + gates.uprightMargin],
          [offCentreDistance(fa, fb), T],
        ].filter(([d, limit]) => d! <= limit!);
        if (passing.length) expected.set(`${a}:${b}`, Math.min(...passing.map(([d]) => d!)));
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
