// The keyed main join must give exactly the pairs of the 64-bit join within the threshold that edgeKeyAgrees keeps,
// with the same distances, whichever hash pair carries the key and on however many threads.
import { describe, expect, it } from 'vitest';
import { NO_WIDE_GATES } from '../../../../src-main/core/duplicates/content-only-gate';
import { DuplicateIndex } from '../../../../src-main/core/duplicates/duplicate-index';
import {
  edgeKeyAgrees,
  edgeKeyThreshold,
  someHashPair,
  wholePictureMargin,
} from '../../../../src-main/core/duplicates/fingerprint-distance';
import { ownerRuns } from '../../../../src-main/core/duplicates/keyed-pair-join';
import { JoinWorkers } from '../../../../src-main/core/duplicates/parallel-join';
import { hamming64 } from '../../../../src-main/core/duplicates/popcount';
import type { Fingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { seededRandom } from '../../../fixtures/synthetic-photos';

const T = 10;

/**
 * Random fingerprints, and copies of earlier ones whose flips land near some of the original's whole picture and
 * regions: pHash a few bits off (some within the threshold, some past it) with the edge hash near or far, so pairs
 * fall inside and outside the key on the hash pair the 64-bit join finds and on other hash pairs.
 */
function fingerprints(n: number, seed: number): Fingerprint[] {
  const rnd = seededRandom(seed);
  const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
  const int = (below: number) => Math.floor(rnd() * below);
  /** Writes (hi, lo) with `bits` distinct random bits flipped into `to` at `at`. */
  const near = (hi: number, lo: number, bits: number, to: Uint32Array, at: number) => {
    const flipped = new Set<number>();
    while (flipped.size < bits) flipped.add(int(64));
    for (const b of flipped)
      if (b < 32) lo ^= 1 << b;
      else hi ^= 1 << (b - 32);
    to[at] = hi >>> 0;
    to[at + 1] = lo >>> 0;
  };
  const out: Fingerprint[] = [];
  for (let i = 0; i < n; i++) {
    const regions = Uint32Array.from({ length: 2 * int(6) }, word);
    const fp: Fingerprint = {
      pixelDigest: null,
      dihedral: Uint32Array.from({ length: 16 }, word),
      regions,
      coefficients: new Int8Array(0),
      offCentre: new Uint32Array(0),
      edges: Uint32Array.from({ length: 16 + regions.length }, word),
    };
    if (i > 0 && int(3) > 0) {
      const of = out[int(i)]!;
      // One to three flips of the copy land near targets of the original (k = -1: its whole picture).
      for (let m = int(3); m >= 0; m--) {
        const j = int(8);
        const k = int(1 + of.regions.length / 2) - 1;
        const hash = k < 0 ? of.dihedral.subarray(0, 2) : of.regions.subarray(2 * k, 2 * k + 2);
        const edge = k < 0 ? of.edges.subarray(0, 2) : of.edges.subarray(16 + 2 * k, 18 + 2 * k);
        near(hash[0]!, hash[1]!, int(17), fp.dihedral, 2 * j);
        near(edge[0]!, edge[1]!, int(2) ? int(18) : 20 + int(12), fp.edges, 2 * j);
      }
    }
    out.push(fp);
  }
  return out;
}

/** Whether the hash pair within the threshold is itself within the key (else the key holds through another pair). */
function keyedOnAPairWithinThreshold(a: Fingerprint, b: Fingerprint): boolean {
  return someHashPair(a, b, (copy, j, original, k) => {
    const target = k < 0 ? original.dihedral.subarray(0, 2) : original.regions.subarray(2 * k, 2 * k + 2);
    const edge = k < 0 ? original.edges.subarray(0, 2) : original.edges.subarray(16 + 2 * k, 18 + 2 * k);
    const d = hamming64(copy.dihedral[2 * j]!, copy.dihedral[2 * j + 1]!, target[0]!, target[1]!);
    const e = hamming64(copy.edges[2 * j]!, copy.edges[2 * j + 1]!, edge[0]!, edge[1]!);
    return d <= T && d + e <= edgeKeyThreshold(T) + (k < 0 ? wholePictureMargin(T) : 0);
  });
}

describe('keyed main join', () => {
  it('gives exactly the 64-bit join within the threshold ∩ edgeKeyAgrees, with its distances, on one thread and on two', async () => {
    for (const seed of [1, 2]) {
      const fps = fingerprints(2500, seed);
      const index = new DuplicateIndex();
      fps.forEach((fp, i) => index.add(i, fp));
      const hashOnly = new Map<string, number>();
      const single = new JoinWorkers(1);
      await index.forEachCandidatePair(T, single, (a, b, d) => hashOnly.set(`${a}:${b}`, d), NO_WIDE_GATES, { edgeKey: false });
      const expected = new Map(
        [...hashOnly].filter(([pair]) => edgeKeyAgrees(fps[Number(pair.split(':')[0])]!, fps[Number(pair.split(':')[1])]!, T)),
      );
      // Every regime is present: pairs failing the key, pairs keyed on the hit, pairs keyed only through another hash pair.
      const otherPair = [...expected.keys()].filter((pair) => {
        const [a, b] = pair.split(':').map(Number) as [number, number];
        return !keyedOnAPairWithinThreshold(fps[a]!, fps[b]!);
      });
      expect(hashOnly.size - expected.size).toBeGreaterThan(100);
      expect(expected.size - otherPair.length).toBeGreaterThan(100);
      expect(otherPair.length).toBeGreaterThan(10);
      for (const workers of [single, new JoinWorkers(2, 0)]) {
        const keyed = new Map<string, number>();
        const stats = { anyPairChecks: 0 };
        await index.forEachCandidatePair(T, workers, (a, b, d) => keyed.set(`${a}:${b}`, d), NO_WIDE_GATES, { edgeKey: true, stats });
        await workers.close();
        expect(keyed).toEqual(expected);
        expect(stats.anyPairChecks).toBeGreaterThanOrEqual(hashOnly.size - expected.size + otherPair.length);
      }
    }
  }, 120_000);

  it('gives the whole pictures the margin edgeKeyAgrees gives them, regions not', async () => {
    const rnd = seededRandom(9);
    const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
    const random = (): Fingerprint => ({
      pixelDigest: null,
      dihedral: Uint32Array.from({ length: 16 }, word),
      regions: Uint32Array.from({ length: 2 }, word),
      coefficients: new Int8Array(0),
      offCentre: new Uint32Array(0),
      edges: Uint32Array.from({ length: 18 }, word),
    });
    const original = random();
    const key = edgeKeyThreshold(T);
    /** A copy whose flip 3 is 8 bits from the original's target (slot 0: whole, 2: region 0), its edge `edgeBits` off. */
    const copy = (slot: number, edgeBits: number) => {
      const fp = random();
      fp.dihedral[6] = original[slot === 0 ? 'dihedral' : 'regions'][0]!;
      fp.dihedral[7] = (original[slot === 0 ? 'dihedral' : 'regions'][1]! ^ 0xff) >>> 0;
      fp.edges[6] = original.edges[slot === 0 ? 0 : 16]!;
      fp.edges[7] = (original.edges[slot === 0 ? 1 : 17]! ^ (2 ** edgeBits - 1)) >>> 0;
      return fp;
    };
    const fps = [
      original,
      copy(0, key - 8 + wholePictureMargin(T)),
      copy(0, key - 8 + wholePictureMargin(T) + 1),
      copy(2, key - 8),
      copy(2, key - 7),
    ];
    const index = new DuplicateIndex();
    fps.forEach((fp, i) => index.add(i, fp));
    const workers = new JoinWorkers(1);
    const pairs: string[] = [];
    await index.forEachCandidatePair(T, workers, (a, b, d) => pairs.push(`${a}:${b}@${d}`), NO_WIDE_GATES);
    await workers.close();
    expect(pairs).toEqual(['0:1@8', '0:3@8']);
    expect(fps.slice(1).map((fp) => edgeKeyAgrees(original, fp, T))).toEqual([true, false, true, false]);
  });

  it('refuses owner columns that do not ascend (each owner must be one run)', () => {
    expect([...ownerRuns(Int32Array.from([0, 0, 2, 2, 2]), 3)]).toEqual([0, 2, 2, 5]);
    expect(() => ownerRuns(Int32Array.from([0, 1, 0]), 2)).toThrow(/must ascend/);
  });
});
