// The leakage check: near-duplicate pairs that ended up in different splits, recomputed from the stored
// hashes after the split, independently of the clusters the split was built from.
import type { Db } from '../catalog/database';
import { parseFingerprint, type Fingerprint } from '../duplicates/fingerprint';
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

/** A growable pair of uint32 columns plus a kind byte, so 1M+ hashes never become boxed numbers. */
class HashColumns {
  hi = new Uint32Array(1024);
  lo = new Uint32Array(1024);
  kind = new Uint8Array(1024);
  length = 0;
  push(hi: number, lo: number, kind: number): void {
    if (this.length === this.hi.length) {
      const grow = <T extends Uint32Array | Uint8Array>(a: T): T => {
        const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
        bigger.set(a);
        return bigger;
      };
      this.hi = grow(this.hi);
      this.lo = grow(this.lo);
      this.kind = grow(this.kind);
    }
    this.hi[this.length] = hi;
    this.lo[this.length] = lo;
    this.kind[this.length++] = kind;
  }
}

export function loadRowHashes(db: Db, rows: readonly SelectedRow[]): RowHashes {
  const rowOfImage = new Map<number, number>();
  rows.forEach((row, r) => rowOfImage.set(row.imageId, r));
  // One pass over the images that have a fingerprint at all, rather than a lookup per exported row.
  // Only the hashes are kept: the DCT coefficients of a parsed fingerprint are ten times their size.
  const fingerprints = new Map<number, Pick<Fingerprint, 'dihedral' | 'regions'>>();
  const stored = db.prepare(`SELECT id, fingerprint FROM image WHERE fingerprint IS NOT NULL`).raw();
  for (const [id, blob] of stored.iterate() as Iterable<[number, Buffer]>) {
    const r = rowOfImage.get(id);
    if (r === undefined) continue;
    const parsed = parseFingerprint(blob);
    if (parsed) fingerprints.set(r, { dihedral: parsed.dihedral, regions: parsed.regions });
  }
  const start = new Uint32Array(rows.length + 1);
  const columns = new HashColumns();
  for (let r = 0; r < rows.length; r++) {
    const fingerprint = fingerprints.get(r);
    if (fingerprint) {
      for (let k = 0; k < fingerprint.dihedral.length; k += 2) columns.push(fingerprint.dihedral[k]!, fingerprint.dihedral[k + 1]!, WHOLE);
      for (let k = 0; k < fingerprint.regions.length; k += 2) columns.push(fingerprint.regions[k]!, fingerprint.regions[k + 1]!, REGION);
    } else {
      const [h, l] = parseHexHash(rows[r]!.perceptualHash);
      columns.push(h, l, WHOLE);
    }
    start[r + 1] = columns.length;
  }
  const n = columns.length;
  return { start, hi: columns.hi.subarray(0, n), lo: columns.lo.subarray(0, n), kind: columns.kind.subarray(0, n) };
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
  indexPlans: { split: string; chunks: number; radii: number[] }[];
}

type IndexedList = HashList & { kind: Uint8Array; owner: Int32Array };

/**
 * One Hamming index per split, over the membership it was built with. A pair leaks when a whole-image hash of
 * one image is within the threshold of a whole-image or region hash of the other (as the duplicates domain
 * judges copies: region against region is two photos of a similar centre, not a copy) and the two images
 * are, by the split passed to the check, in different splits.
 */
export class SplitLeakChecker {
  private readonly indexes: ({ index: HammingIndex; list: IndexedList } | null)[];
  readonly indexPlans: LeakageReport['indexPlans'] = [];

  constructor(
    private readonly hashes: RowHashes,
    indexedSplitOf: Uint8Array,
    threshold: number,
    /** fullCheck never queries the last split's index; only checkRows needs it. */
    indexLastSplit = true,
  ) {
    const membersOf: number[][] = SPLIT_NAMES.map(() => []);
    for (let i = 0; i < indexedSplitOf.length; i++) membersOf[indexedSplitOf[i]!]!.push(i);
    this.indexes = membersOf.map((members, s) => {
      if (members.length === 0 || (!indexLastSplit && s === SPLIT_NAMES.length - 1)) return null;
      const list = hashListOf(hashes, members);
      const index = new HammingIndex(list, threshold);
      this.indexPlans.push({ split: SPLIT_NAMES[s]!, chunks: index.plan.chunks, radii: index.plan.radii });
      return { index, list };
    });
  }

  /** Every leaking pair, for the split the indexes were built from: each split queried against the earlier ones. */
  fullCheck(splitOf: Uint8Array): LeakPair[] {
    const best = new Map<string, LeakPair>();
    for (let q = 0; q < splitOf.length; q++) {
      for (let s = 0; s < splitOf[q]!; s++) this.queryRow(q, s, splitOf, best);
    }
    return sortedPairs(best);
  }

  /**
   * Leaking pairs that involve `rows` under `splitOf`, which may differ from the indexed split (rows that
   * moved): every index is queried and hits are judged by their current split.
   */
  checkRows(rows: Iterable<number>, splitOf: Uint8Array): LeakPair[] {
    const best = new Map<string, LeakPair>();
    for (const q of rows) for (let s = 0; s < SPLIT_NAMES.length; s++) this.queryRow(q, s, splitOf, best);
    return sortedPairs(best);
  }

  private queryRow(q: number, indexSplit: number, splitOf: Uint8Array, best: Map<string, LeakPair>): void {
    const indexed = this.indexes[indexSplit];
    if (!indexed) return;
    const { index, list } = indexed;
    const hashes = this.hashes;
    for (let e = hashes.start[q]!; e < hashes.start[q + 1]!; e++) {
      const queryIsRegion = hashes.kind[e] === REGION;
      index.query(hashes.hi[e]!, hashes.lo[e]!, (entry, distance) => {
        if (queryIsRegion && list.kind[entry] === REGION) return;
        const owner = list.owner[entry]!;
        if (splitOf[owner] === splitOf[q]) return;
        const a = Math.min(owner, q);
        const b = Math.max(owner, q);
        const key = `${a}:${b}`;
        const known = best.get(key);
        if (!known || distance < known.distance) best.set(key, { a, b, distance });
      });
    }
  }
}

function sortedPairs(best: Map<string, LeakPair>): LeakPair[] {
  return [...best.values()].sort((x, y) => x.a - y.a || x.b - y.b);
}

/** The independent check of a finished split: near-duplicate pairs across splits, from the hashes alone. */
export function findCrossSplitLeaks(hashes: RowHashes, splitOf: Uint8Array, threshold: number): LeakageReport {
  const checker = new SplitLeakChecker(hashes, splitOf, threshold, false);
  return { threshold, pairs: checker.fullCheck(splitOf), indexPlans: checker.indexPlans };
}

function hashListOf(hashes: RowHashes, members: readonly number[]): IndexedList {
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
