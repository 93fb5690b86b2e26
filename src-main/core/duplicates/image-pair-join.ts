// A Hamming join of hashes that belong to images, reported per pair of images: each pair once with its smallest
// distance, and a hash paired with another hash of its own image dropped where it is found. Real fingerprints make
// this matter: one image's 34 hashes lie close together (its whole picture, its 10 % side cuts and its 0.9 crop are
// a few bits apart), so a join of every image's flips with every image's regions finds ~10 hits per image that
// pair it with itself, and a true copy is found through many hash pairs at once. Collected on the joining thread
// as sorted numeric keys, so neither a string per hit nor a hit per message crosses to the caller.
import type { HashColumns } from './hamming-join';

/** Hashes plus, per hash, the image (or export row) it belongs to. */
export interface OwnedHashes extends HashColumns {
  owner: Int32Array;
}

/** Image pairs, sorted by (left, right), each once with its smallest distance. */
export interface ImagePairs {
  left: Int32Array;
  right: Int32Array;
  distance: Uint8Array;
}

/** Owners are packed into one double: left * 2^23 + right, times 64, plus the distance (< 2^53). */
const OWNER_BITS = 23;
export const MAX_OWNERS = 2 ** OWNER_BITS;

/** Gathers hits as packed keys; `unordered` stores (min, max) so (a, b) and (b, a) are one pair. */
export class ImagePairCollector {
  private keys = new Float64Array(1 << 12);
  private count = 0;

  constructor(
    private readonly leftOwner: Int32Array,
    private readonly rightOwner: Int32Array,
    private readonly unordered: boolean,
  ) {}

  /** The visitor to give a hash join: positions in, owner pairs out. */
  readonly visit = (i: number, j: number, distance: number): void => {
    let p = this.leftOwner[i]!;
    let q = this.rightOwner[j]!;
    if (p === q) return;
    if (this.unordered && p > q) [p, q] = [q, p];
    if (this.count === this.keys.length) {
      const bigger = new Float64Array(this.keys.length * 2);
      bigger.set(this.keys);
      this.keys = bigger;
    }
    this.keys[this.count++] = (p * MAX_OWNERS + q) * 64 + distance;
  };

  /** Sorted, one key per pair (the smallest distance, which sorts first). */
  keysOut(): Float64Array {
    return uniquePairKeys(this.keys.subarray(0, this.count));
  }
}

/** Sorts packed keys and keeps the first of each owner pair. */
export function uniquePairKeys(keys: Float64Array): Float64Array {
  keys.sort();
  let w = 0;
  let last = -1;
  for (let r = 0; r < keys.length; r++) {
    const pair = Math.floor(keys[r]! / 64);
    if (pair === last) continue;
    last = pair;
    keys[w++] = keys[r]!;
  }
  return keys.slice(0, w);
}

/** The keys of several collectors (threads) as one set of pairs. */
export function mergePairKeys(parts: Float64Array[]): ImagePairs {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const keys = parts.length === 1 ? all : uniquePairKeys(all);
  const out: ImagePairs = { left: new Int32Array(keys.length), right: new Int32Array(keys.length), distance: new Uint8Array(keys.length) };
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const pair = Math.floor(key / 64);
    out.distance[k] = key - pair * 64;
    out.left[k] = Math.floor(pair / MAX_OWNERS);
    out.right[k] = pair - out.left[k]! * MAX_OWNERS;
  }
  return out;
}

/** Refuses owners the keys cannot hold, naming the limit. */
export function checkOwners(owner: Int32Array, side: string): void {
  for (let i = 0; i < owner.length; i++) {
    const o = owner[i]!;
    if (o < 0 || o >= MAX_OWNERS)
      throw new RangeError(`${side} hash ${i} belongs to image ${o}; image pair joins take owners 0..${MAX_OWNERS - 1}`);
  }
}
