// Leak repair: near-duplicates the groups did not join end up in one split, checked by brute force.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { JoinWorkers } from '../../../../src-main/core/duplicates/parallel-join';
import { hamming64 } from '../../../../src-main/core/duplicates/popcount';
import { findCrossSplitLeaks, type RowHashes } from '../../../../src-main/core/export/leakage-report';
import { repairLeaks } from '../../../../src-main/core/export/repair-leaks';
import type { SelectedRow } from '../../../../src-main/core/export/select-images';
import { assignSplits } from '../../../../src-main/core/export/split-groups';
import { seededRandom } from '../../../fixtures/synthetic-photos';

function fixture(count: number, planted: number) {
  const rnd = seededRandom(77);
  const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
  const hi = new Uint32Array(count);
  const lo = new Uint32Array(count);
  const rows: SelectedRow[] = [];
  for (let i = 0; i < count; i++) {
    hi[i] = word();
    lo[i] = word();
    const label = `Taxon ${i % 7}`;
    rows.push({
      imageId: i + 1,
      sha256: createHash('sha256').update(String(i)).digest('hex'),
      taxon: label,
      label,
      rank: 'species',
      labelState: 'human_verified',
      qualityScore: 50,
      width: 10,
      height: 10,
      format: 'jpeg',
      license: 'CC0-1.0',
      attribution: null,
      sourceUrl: null,
      observationGroup: i % 5 === 0 ? `obs-${Math.floor(i / 10)}` : null,
      clusterId: null,
      representativeId: null,
      perceptualHash: '',
    });
  }
  // Near copies that nothing links (no cluster, different observation, sometimes another taxon), in chains.
  for (let k = 0; k < planted; k++) {
    const a = Math.floor(rnd() * count);
    const b = Math.floor(rnd() * count);
    hi[b] = hi[a]!;
    lo[b] = (lo[a]! ^ (1 << (k % 31)) ^ (1 << ((k + 7) % 31))) >>> 0;
  }
  const hashes: RowHashes = { start: Uint32Array.from({ length: count + 1 }, (_, i) => i), hi, lo, kind: new Uint8Array(count) };
  return { rows, hashes };
}

function bruteForceLeaks(hashes: RowHashes, splitOf: Uint8Array, t: number): number {
  let n = 0;
  for (let i = 0; i < splitOf.length; i++)
    for (let j = i + 1; j < splitOf.length; j++)
      if (splitOf[i] !== splitOf[j] && hamming64(hashes.hi[i]!, hashes.lo[i]!, hashes.hi[j]!, hashes.lo[j]!) <= t) n++;
  return n;
}

// Joins of every size go to the two worker threads, as a 1M-row export's do.
const workers = new JoinWorkers(2, 0);
afterAll(() => workers.close());

describe('repairLeaks', () => {
  it('moves near-duplicates into one split until a brute-force check finds no pair across splits', async () => {
    const { rows, hashes } = fixture(3000, 150);
    const initial = assignSplits(rows, [60, 20, 20], 1);
    const before = bruteForceLeaks(hashes, initial.splitOf, 10);
    expect(before).toBeGreaterThan(20);
    expect((await findCrossSplitLeaks(hashes, initial.splitOf, 10, workers, null)).pairs).toHaveLength(before);

    const repaired = await repairLeaks(hashes, initial, 10, workers, null);
    expect(repaired.pairsJoined).toBeGreaterThanOrEqual(before);
    expect(repaired.rowsMoved).toBeGreaterThan(0);
    expect(repaired.rowsMoved).toBeLessThan(rows.length / 5);
    expect(bruteForceLeaks(hashes, repaired.splitOf, 10)).toBe(0);
    // Groups stay whole: an observation never straddles splits after the moves either.
    const splitOfObservation = new Map<string, number>();
    rows.forEach((row, i) => {
      if (!row.observationGroup) return;
      expect(splitOfObservation.get(row.observationGroup) ?? repaired.splitOf[i]).toBe(repaired.splitOf[i]);
      splitOfObservation.set(row.observationGroup, repaired.splitOf[i]!);
    });
    // And the input split is left untouched.
    expect(bruteForceLeaks(hashes, initial.splitOf, 10)).toBe(before);
  });
});
