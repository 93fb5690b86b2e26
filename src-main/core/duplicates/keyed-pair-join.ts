// The re-clustering's main join (flips x whole pictures and regions) reported only for image pairs within the 128-bit
// edge key (fingerprint v5: pHash + edge hash, edgeKeyAgrees), so pairs that fail the key never leave the joining
// thread. Exactly (64-bit pairs within the threshold) ∩ edgeKeyAgrees: a pair is kept at once when one of its hash
// pairs within the threshold is within the key too; a pair whose hits all fail the key is kept only when some other
// hash pair of the two images is within it (edgeKeyAgrees tests any pair: two off-centre crops on eval need that).
// Why the hashes are still enumerated by pHash chunks and not by chunks of the 128 bits: the pigeonhole needs
// sum(r_i + 1) = key + 1 = 25 over 128 bits for the key's region against 11 over 64 bits for pHash <= 10, and on real
// fingerprints that costs ~5x the bucket comparisons (README, "joins over the 128-bit key").
import type { HashColumns } from './hamming-join';
import { MAX_OWNERS, type OwnedHashes } from './image-pair-join';
import { hamming64 } from './popcount';
import { TaggedHashColumns } from './tagged-hash-columns';

/** Owned hashes with the edge hash of the same window beside each (same index). */
export interface KeyedHashes extends OwnedHashes {
  edges: HashColumns;
}

/** The key a hash pair must meet: pHash + edge distance <= `threshold`, plus `allowance[j]` for right hash j. */
export interface EdgeKey {
  threshold: number;
  /** Per right hash: bits the key allows past `threshold` (edgeKeyAgrees gives whole pictures the whole-picture margin). */
  allowance: Uint8Array;
}

/** First index of each owner's run in an owner column sorted ascending (owners absent from the column: empty runs). */
export function ownerRuns(owner: Int32Array, owners: number): Uint32Array {
  const starts = new Uint32Array(owners + 1);
  for (let i = 0; i < owner.length; i++) {
    if (i > 0 && owner[i]! < owner[i - 1]!)
      throw new RangeError(`hash ${i} belongs to owner ${owner[i]} after owner ${owner[i - 1]}: owners must ascend`);
    starts[owner[i]! + 1]!++;
  }
  for (let o = 0; o < owners; o++) starts[o + 1]! += starts[o]!;
  return starts;
}

/**
 * Gathers a join's hits per unordered image pair with whether some hit was within the key, then keeps the pairs
 * within the key (see the header). Keys out as ImagePairCollector's: (min, max) owner pair * 64 + smallest distance.
 */
export class KeyedPairCollector {
  private keys = new Float64Array(1 << 12);
  private count = 0;
  private readonly leftRuns: Uint32Array;
  private readonly rightRuns: Uint32Array;
  /** Image pairs tested on every hash pair (the hits all failed the key), for the bench. */
  anyPairChecks = 0;

  constructor(
    private readonly left: KeyedHashes,
    private readonly right: KeyedHashes,
    private readonly key: EdgeKey,
  ) {
    let owners = 0;
    for (const o of [left.owner, right.owner]) if (o.length > 0) owners = Math.max(owners, o[o.length - 1]! + 1);
    this.leftRuns = ownerRuns(left.owner, owners);
    this.rightRuns = ownerRuns(right.owner, owners);
  }

  /** The visitor to give a hash join of `left` with `right`. */
  readonly visit = (i: number, j: number, distance: number): void => {
    let p = this.left.owner[i]!;
    let q = this.right.owner[j]!;
    if (p === q) return;
    if (p > q) [p, q] = [q, p];
    const { left, right } = this;
    const edge = hamming64(left.edges.hi[i]!, left.edges.lo[i]!, right.edges.hi[j]!, right.edges.lo[j]!);
    const keyed = distance + edge <= this.key.threshold + this.key.allowance[j]!;
    if (this.count === this.keys.length) {
      const bigger = new Float64Array(this.keys.length * 2);
      bigger.set(this.keys);
      this.keys = bigger;
    }
    // 128 per pair (< 2^53 for owners < 2^23): a keyed hit sorts before the pair's other hits.
    this.keys[this.count++] = (p * MAX_OWNERS + q) * 128 + (keyed ? 0 : 64) + distance;
  };

  /** Sorted, one key per image pair within the key, with the smallest distance of its hits. */
  keysOut(): Float64Array {
    const hits = this.keys.subarray(0, this.count);
    hits.sort();
    const out = new Float64Array(hits.length);
    let w = 0;
    for (let r = 0; r < hits.length;) {
      const pair = Math.floor(hits[r]! / 128);
      const keyed = hits[r]! - pair * 128 < 64;
      let distance = 64;
      for (; r < hits.length && Math.floor(hits[r]! / 128) === pair; r++) distance = Math.min(distance, hits[r]! % 64);
      const p = Math.floor(pair / MAX_OWNERS);
      if (keyed || this.someHashPairWithinKey(p, pair - p * MAX_OWNERS)) out[w++] = pair * 64 + distance;
    }
    return out.slice(0, w);
  }

  /** Whether some flip of either image is within the key of a whole picture or region of the other (edgeKeyAgrees). */
  private someHashPairWithinKey(p: number, q: number): boolean {
    this.anyPairChecks++;
    return this.oneWay(p, q) || this.oneWay(q, p);
  }

  private oneWay(copy: number, original: number): boolean {
    const { left, right } = this;
    const key = this.key.threshold;
    for (let i = this.leftRuns[copy]!; i < this.leftRuns[copy + 1]!; i++) {
      const hi = left.hi[i]!;
      const lo = left.lo[i]!;
      const eHi = left.edges.hi[i]!;
      const eLo = left.edges.lo[i]!;
      for (let j = this.rightRuns[original]!; j < this.rightRuns[original + 1]!; j++) {
        // Edges first: these pairs' pHashes are near (they met within the threshold) while their edges mostly are not.
        const limit = key + this.key.allowance[j]!;
        const e = hamming64(eHi, eLo, right.edges.hi[j]!, right.edges.lo[j]!);
        if (e <= limit && e + hamming64(hi, lo, right.hi[j]!, right.lo[j]!) <= limit) return true;
      }
    }
    return false;
  }
}

/** Edge hashes kept beside a MultiIndex (same key numbers), and which of them are whole pictures (the key's margin). */
export class EdgeColumns {
  private readonly hashes = new TaggedHashColumns();

  /** A fingerprint without edge hashes (older than v5) adds zeros, as edgeKeyAgrees reads missing words. */
  add(hi: number | undefined, lo: number | undefined, whole: boolean): void {
    this.hashes.push(hi ?? 0, lo ?? 0, whole ? 1 : 0);
  }

  columns(): HashColumns {
    return this.hashes.columns();
  }

  /** EdgeKey.allowance: `wholeMargin` bits for whole pictures, none for regions. */
  allowance(wholeMargin: number): Uint8Array {
    return this.hashes.tagColumn().map((whole) => whole * wholeMargin);
  }
}
