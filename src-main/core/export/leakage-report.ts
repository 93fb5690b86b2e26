// The leakage check: near-duplicate pairs that ended up in different splits, recomputed from the stored
// hashes after the split, independently of the clusters the split was built from.
import type { Db } from '../catalog/database';
import { parseFingerprint } from '../duplicates/fingerprint';
import { HammingIndex, parseHexHash, type HashList } from './hash-index';
import type { SelectedRow } from './select-images';
import { SPLIT_NAMES } from './split-groups';

/** What a stored hash describes: the whole picture (any flip/rotation) or a region of it (crop, thumbnail). */
const WHOLE = 0;
const REGION = 1;

/**
 * Per row, every 64-bit hash the duplicates fingerprint holds (8 flips/rotations of the whole image, then its
 * regions), or just the perceptual hash for images without a current fingerprint. Flat arrays: row r owns
 * entries start[r] .. start[r + 1).
 */
export interface RowHashes {
  start: Uint32Array;
  hi: Uint32Array;
  lo: Uint32Array;
  kind: Uint8Array;
}

export function loadRowHashes(db: Db, rows: readonly SelectedRow[]): RowHashes {
  const fingerprintOf = db.prepare(`SELECT fingerprint FROM image WHERE id = ?`).pluck();
  const start = new Uint32Array(rows.length + 1);
  const his: number[] = [];
  const los: number[] = [];
  const kinds: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const fingerprint = parseFingerprint(fingerprintOf.get(rows[r]!.imageId) as Buffer | null | undefined);
    if (fingerprint) {
      for (let k = 0; k < fingerprint.dihedral.length; k += 2) {
        his.push(fingerprint.dihedral[k]!);
        los.push(fingerprint.dihedral[k + 1]!);
        kinds.push(WHOLE);
      }
      for (let k = 0; k < fingerprint.regions.length; k += 2) {
        his.push(fingerprint.regions[k]!);
        los.push(fingerprint.regions[k + 1]!);
        kinds.push(REGION);
      }
    } else {
      const [h, l] = parseHexHash(rows[r]!.perceptualHash);
      his.push(h);
      los.push(l);
      kinds.push(WHOLE);
    }
    start[r + 1] = his.length;
  }
  return { start, hi: Uint32Array.from(his), lo: Uint32Array.from(los), kind: Uint8Array.from(kinds) };
}

export interface LeakPair {
  /** Row indices, a < b. */
  a: number;
  b: number;
  distance: number;
}

export interface LeakageReport {
  threshold: number;
  pairs: LeakPair[];
  /** Comparisons saved: which strategy each split's index used (chunks 0 = linear scan). */
  indexPlans: { split: string; chunks: number; radius: number }[];
}

/**
 * Indexes each split's hashes and queries it with the hashes of every image in a later split. A pair leaks
 * when a whole-image hash of one is within the threshold of a whole-image or region hash of the other (as the
 * duplicates domain judges copies: region against region is two photos of a similar centre, not a copy).
 */
export function findCrossSplitLeaks(hashes: RowHashes, splitOf: Uint8Array, threshold: number): LeakageReport {
  const membersOf: number[][] = SPLIT_NAMES.map(() => []);
  for (let i = 0; i < splitOf.length; i++) membersOf[splitOf[i]!]!.push(i);
  const best = new Map<string, LeakPair>();
  const indexPlans: LeakageReport['indexPlans'] = [];
  for (let s = 0; s < SPLIT_NAMES.length - 1; s++) {
    const indexed = membersOf[s]!;
    const later = membersOf.slice(s + 1).flat();
    if (indexed.length === 0 || later.length === 0) continue;
    const list = hashListOf(hashes, indexed);
    const index = new HammingIndex(list, threshold);
    indexPlans.push({ split: SPLIT_NAMES[s]!, chunks: index.plan.chunks, radius: index.plan.radius });
    for (const q of later) {
      for (let e = hashes.start[q]!; e < hashes.start[q + 1]!; e++) {
        const queryIsRegion = hashes.kind[e] === REGION;
        index.query(hashes.hi[e]!, hashes.lo[e]!, (entry, distance) => {
          if (queryIsRegion && list.kind[entry] === REGION) return;
          const owner = list.owner[entry]!;
          const a = Math.min(owner, q);
          const b = Math.max(owner, q);
          const key = `${a}:${b}`;
          const known = best.get(key);
          if (!known || distance < known.distance) best.set(key, { a, b, distance });
        });
      }
    }
  }
  const pairs = [...best.values()].sort((x, y) => x.a - y.a || x.b - y.b);
  return { threshold, pairs, indexPlans };
}

function hashListOf(hashes: RowHashes, members: readonly number[]): HashList & { kind: Uint8Array; owner: Int32Array } {
  let count = 0;
  for (const r of members) count += hashes.start[r + 1]! - hashes.start[r]!;
  const list = { hi: new Uint32Array(count), lo: new Uint32Array(count), owner: new Int32Array(count), kind: new Uint8Array(count) };
  let p = 0;
  for (const r of members) {
    for (let e = hashes.start[r]!; e < hashes.start[r + 1]!; e++, p++) {
      list.hi[p] = hashes.hi[e]!;
      list.lo[p] = hashes.lo[e]!;
      list.kind[p] = hashes.kind[e]!;
      list.owner[p] = r;
    }
  }
  return list;
}
