// The one-pass candidate join of a full re-clustering must offer exactly the candidates per-image queries offer.
import { describe, expect, it } from 'vitest';
import { UPRIGHT_KEY_THRESHOLD, UPRIGHT_WHOLE_MARGIN, WHOLE_PICTURE_MARGIN } from '../../../../src-shared/defaults';
import {
  candidateGates,
  contentOnlyGate,
  NO_WIDE_GATES,
  UPRIGHT_KEY_OFF,
  uprightEdgeDistance,
  type CandidateGates,
} from '../../../../src-main/core/duplicates/content-only-gate';
import { DuplicateIndex, mergePairLists } from '../../../../src-main/core/duplicates/duplicate-index';
import { wholePictureMargin } from '../../../../src-main/core/duplicates/fingerprint-distance';
import { JoinWorkers } from '../../../../src-main/core/duplicates/parallel-join';
import type { Fingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { seededRandom } from '../../../fixtures/synthetic-photos';

/**
 * Fingerprints with random hashes; every third image is a copy of an earlier one with a few bits flipped (of a
 * flip/rotation, a region or an off-centre window).
 */
function fingerprints(n: number): Fingerprint[] {
  const rnd = seededRandom(3);
  const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
  const out: Fingerprint[] = [];
  for (let i = 0; i < n; i++) {
    const dihedral = Uint32Array.from({ length: 16 }, word);
    const regions = Uint32Array.from({ length: 2 * (i % 4) }, word);
    const offCentre = Uint32Array.from({ length: 2 * (i % 3) }, word);
    if (i % 3 === 2) {
      const of = out[Math.floor(rnd() * i)]!;
      // Copy of a flip/rotation, of a region or of an off-centre window of the earlier image.
      const source =
        i % 5 === 0 && of.offCentre.length > 0
          ? of.offCentre.subarray(0, 2)
          : i % 2 === 0 || of.regions.length === 0
            ? of.dihedral.subarray(2 * (i % 8), 2 * (i % 8) + 2)
            : of.regions.subarray(0, 2);
      dihedral[0] = (source[0]! ^ (1 << (i % 32))) >>> 0;
      dihedral[1] = (source[1]! ^ (3 << (i % 30))) >>> 0;
    }
    out.push({
      pixelDigest: null,
      dihedral,
      regions,
      coefficients: new Int8Array(0),
      offCentre,
      // All-zero edge hashes: every pair within the threshold is within the edge key too, so the keyed main join of
      // forEachCandidatePair offers what the per-image queries (64-bit, no key) offer (keyed-pair-join.test.ts tests the key).
      edges: new Uint32Array(16 + regions.length),
    });
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
        expect(distance).toBeLessThanOrEqual(10 + Math.max(WHOLE_PICTURE_MARGIN, UPRIGHT_WHOLE_MARGIN));
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
    // The upright gate alone (tested below) would pair the 16-bit copy too: this test is about the flips' margin.
    const wholeOnly: CandidateGates = { ...NO_WIDE_GATES, wholeMargin: WHOLE_PICTURE_MARGIN };
    const rnd = seededRandom(11);
    const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
    const fingerprint = (dihedral: Uint32Array, regions: Uint32Array): Fingerprint => ({
      pixelDigest: null,
      dihedral,
      regions,
      coefficients: new Int8Array(0),
      offCentre: new Uint32Array(0),
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
    expect([...index.candidates(2, overlaid, 10, false, wholeOnly)]).toEqual([1]);
    expect([...index.candidates(1, original, 10, true, wholeOnly)]).toEqual([2]);
    expect(index.candidates(2, overlaid, 10, false, NO_WIDE_GATES).size).toBe(0);
    expect(index.candidates(1, original, 10, true, NO_WIDE_GATES).size).toBe(0);
    expect(index.candidates(3, tooFar, 10, true, wholeOnly).size).toBe(0);
    // The margin scales with the threshold: none at 0, so a strict threshold stays strict.
    expect(wholePictureMargin(10)).toBe(WHOLE_PICTURE_MARGIN);
    expect(wholePictureMargin(0)).toBe(0);
    expect(index.candidates(2, overlaid, 9, false, { ...wholeOnly, wholeMargin: wholePictureMargin(9) }).size).toBe(0);
    expect(index.candidates(4, regionCopy, 10, true).size).toBe(0);
    for (const workers of [new JoinWorkers(1), new JoinWorkers(2, 0)]) {
      const wide: string[] = [];
      await index.forEachCandidatePair(10, workers, (a, b, distance) => wide.push(`${a}:${b}@${distance}`), wholeOnly);
      const narrow: string[] = [];
      await index.forEachCandidatePair(10, workers, (a, b, distance) => narrow.push(`${a}:${b}@${distance}`), NO_WIDE_GATES);
      await workers.close();
      expect(wide).toEqual([`1:2@${10 + WHOLE_PICTURE_MARGIN}`]);
      expect(narrow).toEqual([]);
    }
  });

  it('pairs upright pictures up to UPRIGHT_WHOLE_MARGIN past the threshold and off-centre windows within it, flips not', async () => {
    const rnd = seededRandom(12);
    const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
    const random = (offCentre = new Uint32Array(0)): Fingerprint => ({
      pixelDigest: null,
      dihedral: Uint32Array.from({ length: 16 }, word),
      regions: Uint32Array.from({ length: 4 }, word),
      coefficients: new Int8Array(0),
      edges: new Uint32Array(16 + 4),
      offCentre,
    });
    const original = random(Uint32Array.from({ length: 8 }, word));
    /** A fingerprint whose hash at `slot` (0: upright, 2 k: flip k) is (hi, lo) with its `bits` lowest (or highest) bits flipped. */
    const near = (hi: number, lo: number, bits: number, slot = 0, highest = false) => {
      const fp = random();
      fp.dihedral[slot] = hi;
      fp.dihedral[slot + 1] = (lo ^ ((2 ** bits - 1) * (highest ? 2 ** (32 - bits) : 1))) >>> 0;
      return fp;
    };
    const [hi, lo] = [original.dihedral[0]!, original.dihedral[1]!];
    const overlaid = near(hi, lo, 10 + UPRIGHT_WHOLE_MARGIN);
    const flippedOverlaid = near(hi, lo, 10 + UPRIGHT_WHOLE_MARGIN, 2, true);
    const offCentreCrop = near(original.offCentre[6]!, original.offCentre[7]!, 10);
    const offCentreTooFar = near(original.offCentre[6]!, original.offCentre[7]!, 12, 0, true);
    // 8 bits from the window in its high word, so 18 from offCentreCrop: only an off-centre gate over flips would pair it.
    const flippedOffCentre = near(original.offCentre[6]!, original.offCentre[7]!, 0, 2);
    flippedOffCentre.dihedral[2] = (original.offCentre[6]! ^ 0xff) >>> 0;
    const index = new DuplicateIndex();
    [original, overlaid, flippedOverlaid, offCentreCrop, offCentreTooFar, flippedOffCentre].forEach((fp, i) => index.add(i + 1, fp));
    const gates = candidateGates(10);
    // v4's margin over the flips is not in force: the flipped copy 16 bits away is out whatever that margin.
    expect(gates).toEqual({ wholeMargin: 0, uprightMargin: UPRIGHT_WHOLE_MARGIN, uprightKey: UPRIGHT_KEY_THRESHOLD, offCentre: true });
    expect(candidateGates(0)).toEqual({ wholeMargin: 0, uprightMargin: 0, uprightKey: 0, offCentre: false });
    // Found from either side; the flipped copies (past the flips' own margin) and the window 12 bits away are not.
    expect([...index.candidates(1, original, 10, true)].sort()).toEqual([2, 4]);
    expect([...index.candidates(2, overlaid, 10, false)]).toEqual([1]);
    expect([...index.candidates(4, offCentreCrop, 10, false)]).toEqual([1]);
    for (const [id, fp] of [
      [3, flippedOverlaid],
      [5, offCentreTooFar],
      [6, flippedOffCentre],
    ] as const)
      expect([id, [...index.candidates(id, fp, 10, true)]]).toEqual([id, []]);
    expect(index.candidates(4, offCentreCrop, 10, false, { ...gates, offCentre: false }).size).toBe(0);
    expect(index.candidates(2, overlaid, 10, false, { ...gates, uprightMargin: 0 }).size).toBe(0);
    for (const workers of [new JoinWorkers(1), new JoinWorkers(2, 0)]) {
      const pairs: string[] = [];
      await index.forEachCandidatePair(10, workers, (a, b, distance) => pairs.push(`${a}:${b}@${distance}`));
      await workers.close();
      expect(pairs).toEqual([`1:2@${10 + UPRIGHT_WHOLE_MARGIN}`, '1:4@10']);
    }
  });

  it('holds the upright gate to the upright key: pHash + edge hash of the upright pictures within UPRIGHT_KEY_THRESHOLD', async () => {
    const rnd = seededRandom(21);
    const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
    const random = (): Fingerprint => ({
      pixelDigest: null,
      dihedral: Uint32Array.from({ length: 16 }, word),
      regions: new Uint32Array(0),
      coefficients: new Int8Array(0),
      edges: Uint32Array.from({ length: 16 }, word),
      offCentre: new Uint32Array(0),
    });
    const original = random();
    /**
     * The original's upright pHash with `bits` bits of word `word` flipped (the high ones when `high`), its upright edge
     * hash with `edgeBits` bits of the same word: copies on disjoint bits stay more than the margin from each other.
     */
    const overlaid = (bits: number, edgeBits: number, word: 0 | 1, high: boolean): Fingerprint => {
      const fp = random();
      const mask = (n: number) => ((2 ** n - 1) * (high ? 2 ** (32 - n) : 1)) >>> 0;
      fp.dihedral.set(original.dihedral.subarray(0, 2));
      fp.edges.set(original.edges.subarray(0, 2));
      fp.dihedral[word] = (fp.dihedral[word]! ^ mask(bits)) >>> 0;
      fp.edges[word] = (fp.edges[word]! ^ mask(edgeBits)) >>> 0;
      return fp;
    };
    const margin = 10 + UPRIGHT_WHOLE_MARGIN;
    const within = overlaid(margin, UPRIGHT_KEY_THRESHOLD - margin, 1, false);
    const pastKey = overlaid(margin, UPRIGHT_KEY_THRESHOLD - margin + 1, 1, true);
    const nearEdgesPastMargin = overlaid(margin + 2, 0, 0, false);
    expect(uprightEdgeDistance(pastKey, original)).toBe(UPRIGHT_KEY_THRESHOLD - margin + 1);
    const index = new DuplicateIndex();
    [original, within, pastKey, nearEdgesPastMargin].forEach((fp, i) => index.add(i + 1, fp));
    expect([...index.candidates(1, original, 10, true)]).toEqual([2]);
    expect([...index.candidates(3, pastKey, 10, false)]).toEqual([]);
    expect(contentOnlyGate(within, original, 10)).toBe('upright-whole');
    expect(contentOnlyGate(pastKey, original, 10)).toBeNull();
    expect(contentOnlyGate(nearEdgesPastMargin, original, 10)).toBeNull();
    // Without the key (as before issue 19/14) the pHash margin alone decides.
    const unkeyed = { ...candidateGates(10), uprightKey: UPRIGHT_KEY_OFF };
    expect([...index.candidates(1, original, 10, true, unkeyed)].sort()).toEqual([2, 3]);
    expect(contentOnlyGate(pastKey, original, 10, unkeyed)).toBe('upright-whole');
    for (const workers of [new JoinWorkers(1), new JoinWorkers(2, 0)]) {
      const keyed: string[] = [];
      const all: string[] = [];
      await index.forEachCandidatePair(10, workers, (a, b, distance) => keyed.push(`${a}:${b}@${distance}`));
      await index.forEachCandidatePair(10, workers, (a, b, distance) => all.push(`${a}:${b}@${distance}`), unkeyed);
      await workers.close();
      expect(keyed).toEqual([`1:2@${margin}`]);
      expect(all).toEqual([`1:2@${margin}`, `1:3@${margin}`]);
    }
  });

  it('mergePairLists visits each pair of sorted lists once with its smallest distance', () => {
    const list = (pairs: [number, number, number][]) => ({
      left: Int32Array.from(pairs.map((p) => p[0])),
      right: Int32Array.from(pairs.map((p) => p[1])),
      distance: Uint8Array.from(pairs.map((p) => p[2])),
    });
    const seen: string[] = [];
    mergePairLists(
      [
        list([
          [0, 1, 8],
          [0, 3, 2],
          [2, 3, 10],
        ]),
        list([
          [0, 1, 6],
          [1, 2, 12],
        ]),
        list([]),
        list([
          [0, 3, 9],
          [2, 3, 4],
          [2, 5, 16],
        ]),
      ],
      (p, q, d) => seen.push(`${p}:${q}@${d}`),
    );
    expect(seen).toEqual(['0:1@6', '0:3@2', '1:2@12', '2:3@4', '2:5@16']);
  });
});
