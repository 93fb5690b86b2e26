// The one-pass candidate join of a full re-clustering must offer exactly the candidates per-image queries offer.
import { describe, expect, it } from 'vitest';
import { DuplicateIndex } from '../../../../src-main/core/duplicates/duplicate-index';
import { JoinWorkers } from '../../../../src-main/core/duplicates/parallel-join';
import type { Fingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { seededRandom } from '../../../fixtures/synthetic-photos';

/** Fingerprints with random hashes; every third image is a copy of an earlier one with a few bits flipped. */
function fingerprints(n: number): Fingerprint[] {
  const rnd = seededRandom(3);
  const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
  const out: Fingerprint[] = [];
  for (let i = 0; i < n; i++) {
    const dihedral = Uint32Array.from({ length: 16 }, word);
    const regions = Uint32Array.from({ length: 2 * (i % 4) }, word);
    if (i % 3 === 2) {
      const of = out[Math.floor(rnd() * i)]!;
      // Copy of a flip/rotation, or of a region, of the earlier image.
      const source =
        i % 2 === 0 || of.regions.length === 0 ? of.dihedral.subarray(2 * (i % 8), 2 * (i % 8) + 2) : of.regions.subarray(0, 2);
      dihedral[0] = (source[0]! ^ (1 << (i % 32))) >>> 0;
      dihedral[1] = (source[1]! ^ (3 << (i % 30))) >>> 0;
    }
    out.push({ pixelDigest: null, dihedral, regions, coefficients: new Int8Array(0) });
  }
  return out;
}

describe('DuplicateIndex', () => {
  it('forEachCandidatePair gives every image the candidates its own queries give, on worker threads too', async () => {
    const fps = fingerprints(3000);
    const index = new DuplicateIndex();
    fps.forEach((fp, id) => index.add(id, fp));
    const expected = new Set<string>();
    fps.forEach((fp, id) => {
      for (const other of index.candidates(id, fp, 10, false)) expected.add(`${id}:${other}`);
    });
    expect(expected.size).toBeGreaterThan(500);
    for (const workers of [new JoinWorkers(1), new JoinWorkers(2, 0)]) {
      const joined = new Set<string>();
      await index.forEachCandidatePair(10, workers, (copy, original) => {
        const key = `${copy}:${original}`;
        expect(joined.has(key)).toBe(false);
        joined.add(key);
      });
      await workers.close();
      expect(joined).toEqual(expected);
    }
  });
});
