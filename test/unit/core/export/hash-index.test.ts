// Multi-index Hamming search must find exactly the pairs a brute-force scan finds, at every threshold.
import { describe, expect, it } from 'vitest';
import { HammingIndex, hamming64, parseHexHash, planIndex, popcount32 } from '../../../../src-main/core/export/hash-index';
import { seededRandom } from '../../../fixtures/synthetic-photos';

function randomHashes(count: number, seed: number, plantedNear: number, maxFlips: number) {
  const rnd = seededRandom(seed);
  const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
  const hi = new Uint32Array(count);
  const lo = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % Math.max(1, Math.floor(count / plantedNear)) === 0) {
      // A near copy of an earlier hash: flip a few random bits.
      const source = Math.floor(rnd() * i);
      let h = hi[source]!;
      let l = lo[source]!;
      const flips = Math.floor(rnd() * (maxFlips + 1));
      for (let f = 0; f < flips; f++) {
        const bit = Math.floor(rnd() * 64);
        if (bit < 32) l = (l ^ (1 << bit)) >>> 0;
        else h = (h ^ (1 << (bit - 32))) >>> 0;
      }
      hi[i] = h;
      lo[i] = l;
    } else {
      hi[i] = word();
      lo[i] = word();
    }
  }
  return { hi, lo };
}

function bruteForce(index: { hi: Uint32Array; lo: Uint32Array }, hi: number, lo: number, t: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < index.hi.length; i++) if (hamming64(hi, lo, index.hi[i]!, index.lo[i]!) <= t) out.push(i);
  return out;
}

describe('hamming helpers', () => {
  it('counts bits and parses hex hashes into (hi, lo)', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    expect(parseHexHash('ffffffff00000001')).toEqual([0xffffffff, 1]);
    expect(hamming64(0xffffffff, 0, 0, 0)).toBe(32);
  });
});

describe('HammingIndex', () => {
  for (const threshold of [0, 3, 6, 10, 16]) {
    it(`finds exactly the brute-force neighbours at threshold ${threshold}`, () => {
      const stored = randomHashes(3000, 7 + threshold, 300, threshold + 3);
      const queries = randomHashes(400, 99 + threshold, 0, 0);
      // Queries that are near copies of stored hashes, so matches exist at every threshold.
      for (let q = 0; q < 200; q++) {
        queries.hi[q] = stored.hi[q * 7]!;
        queries.lo[q] = (stored.lo[q * 7]! ^ ((1 << (q % 20)) - 1)) >>> 0;
      }
      const index = new HammingIndex(stored, threshold);
      let matches = 0;
      for (let q = 0; q < queries.hi.length; q++) {
        const found: number[] = [];
        index.query(queries.hi[q]!, queries.lo[q]!, (entry, distance) => {
          expect(distance).toBe(hamming64(queries.hi[q]!, queries.lo[q]!, stored.hi[entry]!, stored.lo[entry]!));
          found.push(entry);
        });
        const expected = bruteForce(stored, queries.hi[q]!, queries.lo[q]!, threshold);
        // Each neighbour exactly once.
        expect(found.sort((a, b) => a - b)).toEqual(expected);
        matches += expected.length;
      }
      expect(matches).toBeGreaterThan(0);
    });
  }

  it('scans linearly when the set is too small for chunking to pay, and chunks large sets', () => {
    expect(planIndex(10, 10).chunks).toBe(0);
    const large = planIndex(1_000_000, 10);
    expect(large.chunks).toBeGreaterThanOrEqual(3);
    expect(large.estimatedCostPerQuery).toBeLessThan(1_000_000 / 50);
  });
});
