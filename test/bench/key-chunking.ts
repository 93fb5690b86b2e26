// bench:duplicates, scale part: what a multi-index join over the 128-bit key (pHash + edge hash, fingerprint v5) would
// cost against the 64-bit join the product runs, on the same real fingerprints (flips x whole pictures and regions).
// Counted, not timed: per chunking, the bucket probes (one per distinct left chunk value and flip mask) and the hash
// comparisons they make (left bucket size x right bucket size), next to the hash pairs each region holds.
import { flipMasks, planJoin } from '../../src-main/core/duplicates/hamming-join';
import { hamming64 } from '../../src-main/core/duplicates/popcount';

/** Hashes as [pHash lo, pHash hi, edge lo, edge hi] words: bit b of the 128-bit key is bit b % 32 of word b >> 5. */
export interface KeySide {
  words: Uint32Array;
  owner: Int32Array;
  /** Bits the key allows past its threshold for this hash (whole pictures: the whole-picture margin). */
  allowance?: Uint8Array;
}

/** [first bit, width, radius] of a chunk of the 128-bit key (bits 0-63 pHash, 64-127 edge hash). */
export type KeyChunk = [number, number, number];

function chunkValue(words: Uint32Array, h: number, start: number, width: number): number {
  const w = start >>> 5;
  const off = start & 31;
  let v = words[4 * h + w]! >>> off;
  if (off + width > 32) v |= words[4 * h + w + 1]! << (32 - off);
  return (v & ((1 << width) - 1)) >>> 0;
}

/** Probes and comparisons of one chunking (each chunk compares its bucket pairs independently). */
export function chunkingWork(left: KeySide, right: KeySide, chunks: KeyChunk[]): { probes: number; comparisons: number; units: number } {
  let probes = 0;
  let comparisons = 0;
  let units = 0;
  for (const [start, width, radius] of chunks) {
    if (radius < 0) continue;
    units += radius + 1;
    const counts = (side: KeySide) => {
      const out = new Uint32Array(1 << width);
      for (let h = 0; h < side.owner.length; h++) out[chunkValue(side.words, h, start, width)]!++;
      return out;
    };
    const l = counts(left);
    const r = counts(right);
    const masks = flipMasks(width, radius);
    for (let v = 0; v < l.length; v++) {
      const a = l[v]!;
      if (a === 0) continue;
      probes += masks.length;
      for (let m = 0; m < masks.length; m++) comparisons += a * r[v ^ masks[m]!]!;
    }
  }
  return { probes, comparisons, units };
}

/** The 64-bit join's own plan as key chunks (pHash bits only). */
export function productChunks(leftSize: number, rightSize: number, threshold: number): KeyChunk[] {
  return planJoin(leftSize, rightSize, threshold, false).chunks.map((c) => [c.start, c.width, c.radius]);
}

/**
 * Chunkings of the 128 bits that find every hash pair within `key` (pigeonhole: sum of radius + 1 = key + 1 = 25 at
 * the default), the best of each shape under the bench's counts; the whole pictures' margin needs 4 more units.
 */
export function keyChunkings(key: number): { name: string; chunks: KeyChunk[] }[] {
  const spread = (widths: number[], units: number): KeyChunk[] => {
    // Radii as even as the units allow, the extra units to the edge hash's chunks (its chunk values are less skewed).
    const base = Math.floor(units / widths.length);
    const extra = units - base * widths.length;
    let start = 128;
    return widths.map((width, i) => [(start -= width), width, base - 1 + (i < extra ? 1 : 0)]);
  };
  return [
    { name: `8 x 16 bits, radii summing to ${key + 1 - 8}`, chunks: spread([16, 16, 16, 16, 16, 16, 16, 16], key + 1) },
    { name: `6 x 17 bits (26 bits unused), radii summing to ${key + 1 - 6}`, chunks: spread([17, 17, 17, 17, 17, 17], key + 1) },
    {
      name: `10 chunks of 12-13 bits, radii summing to ${key + 1 - 10}`,
      chunks: spread([13, 13, 13, 13, 13, 13, 13, 13, 12, 12], key + 1),
    },
  ];
}

/** Hash pairs of different owners within `threshold` on pHash, and of those within the key too, by brute force over a sample. */
export function hashPairsInRegions(
  left: KeySide,
  right: KeySide,
  threshold: number,
  key: number,
): { withinThreshold: number; sameHashPairKeyed: number; withinKey: number } {
  let withinThreshold = 0;
  let sameHashPairKeyed = 0;
  let withinKey = 0;
  const L = left.words;
  const R = right.words;
  for (let a = 0; a < left.owner.length; a++)
    for (let b = 0; b < right.owner.length; b++) {
      if (left.owner[a] === right.owner[b]) continue;
      const limit = key + (right.allowance?.[b] ?? 0);
      const d = hamming64(L[4 * a + 1]!, L[4 * a]!, R[4 * b + 1]!, R[4 * b]!);
      if (d > Math.max(threshold, limit)) continue;
      const keyed = d + hamming64(L[4 * a + 3]!, L[4 * a + 2]!, R[4 * b + 3]!, R[4 * b + 2]!) <= limit;
      if (d <= threshold) withinThreshold++;
      if (d <= threshold && keyed) sameHashPairKeyed++;
      if (keyed) withinKey++;
    }
  return { withinThreshold, sameHashPairKeyed, withinKey };
}
