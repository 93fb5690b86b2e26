// The one-pass candidate join of a full re-clustering must offer exactly the candidates per-image queries offer.
import { describe, expect, it } from 'vitest';
import { WHOLE_PICTURE_MARGIN } from '../../../../src-shared/defaults';
import { DuplicateIndex } from '../../../../src-main/core/duplicates/duplicate-index';
import { wholePictureMargin } from '../../../../src-main/core/duplicates/fingerprint-distance';
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
    out.push({ pixelDigest: null, dihedral, regions, coefficients: new Int8Array(0), edges: new Uint32Array(16 + regions.length) });
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
        expect(distance).toBeLessThanOrEqual(10 + WHOLE_PICTURE_MARGIN);
        const key = `${a}:${b}`;
        expect(joined.has(key)).toBe(false);
        joined.add(key);
      });
      await workers.close();
      expect(visited).toBe(joined.size);
      expect(joined).toEqual(expected);
    }
  });

  it('pairs whole pictures up to WHOLE_PICTURE_MARGIN bits past the threshold, and regions only within it', async () => {
    const rnd = seededRandom(11);
    const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
    const fingerprint = (dihedral: Uint32Array, regions: Uint32Array): Fingerprint => ({
      pixelDigest: null,
      dihedral,
      regions,
      coefficients: new Int8Array(0),
      edges: new Uint32Array(16 + regions.length),
    });
    const original = fingerprint(Uint32Array.from({ length: 16 }, word), Uint32Array.from({ length: 4 }, word));
    /** A copy whose upright hash is the target with the `bits` lowest bits of its low word flipped (or the highest). */
    const copyOf = (hi: number, lo: number, bits: number, highest = false) => {
      const dihedral = Uint32Array.from({ length: 16 }, word);
      const mask = (2 ** bits - 1) * (highest ? 2 ** (32 - bits) : 1);
      dihedral[0] = hi;
      dihedral[1] = (lo ^ mask) >>> 0;
      return fingerprint(dihedral, new Uint32Array(0));
    };
    const overlaid = copyOf(original.dihedral[0]!, original.dihedral[1]!, 10 + WHOLE_PICTURE_MARGIN);
    const tooFar = copyOf(original.dihedral[0]!, original.dihedral[1]!, 10 + WHOLE_PICTURE_MARGIN + 2, true);
    // A region 12 bits away is no candidate: only the whole picture gets the margin.
    const regionCopy = copyOf(original.regions[0]!, original.regions[1]!, 12);
    const index = new DuplicateIndex();
    index.add(1, original);
    index.add(2, overlaid);
    index.add(3, tooFar);
    index.add(4, regionCopy);
    expect([...index.candidates(2, overlaid, 10, false)]).toEqual([1]);
    expect([...index.candidates(1, original, 10, true)]).toEqual([2]);
    expect(index.candidates(2, overlaid, 10, false, 0).size).toBe(0);
    expect(index.candidates(1, original, 10, true, 0).size).toBe(0);
    expect(index.candidates(3, tooFar, 10, true).size).toBe(0);
    // The margin scales with the threshold: none at 0, so a strict threshold stays strict.
    expect(wholePictureMargin(10)).toBe(WHOLE_PICTURE_MARGIN);
    expect(wholePictureMargin(0)).toBe(0);
    expect(index.candidates(2, overlaid, 9, false).size).toBe(0);
    expect(index.candidates(4, regionCopy, 10, true).size).toBe(0);
    for (const workers of [new JoinWorkers(1), new JoinWorkers(2, 0)]) {
      const wide: string[] = [];
      await index.forEachCandidatePair(10, workers, (a, b, distance) => wide.push(`${a}:${b}@${distance}`));
      const narrow: string[] = [];
      await index.forEachCandidatePair(10, workers, (a, b, distance) => narrow.push(`${a}:${b}@${distance}`), 0);
      await workers.close();
      expect(wide).toEqual([`1:2@${10 + WHOLE_PICTURE_MARGIN}`]);
      expect(narrow).toEqual([]);
    }
  });
});
