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
  it('forEachCandidatePair gives every pair of images the candidates their own queries give, once, on worker threads too', async () => {
    const fps = fingerprints(3000);
    const index = new DuplicateIndex();
    // Ids far from their positions: the join packs dense owner numbers, never ids.
    const idOf = (i: number) => 1_000_000_000 + 7 * i;
    fps.forEach((fp, i) => index.add(idOf(i), fp));
    const expected = new Set<string>();
    fps.forEach((fp, i) => {
      const id = idOf(i);
      for (const other of index.candidates(id, fp, 10, false)) expected.add(id < other ? `${id}:${other}` : `${other}:${id}`);
    });
    expect(expected.size).toBeGreaterThan(500);
    for (const workers of [new JoinWorkers(1), new JoinWorkers(2, 0)]) {
      const joined = new Set<string>();
      const visited = await index.forEachCandidatePair(10, workers, (a, b, distance) => {
        expect(a).toBeLessThan(b);
        expect(distance).toBeLessThanOrEqual(10);
        const key = `${a}:${b}`;
        expect(joined.has(key)).toBe(false);
        joined.add(key);
      });
      await workers.close();
      expect(visited).toBe(joined.size);
      expect(joined).toEqual(expected);
    }
  });
});
