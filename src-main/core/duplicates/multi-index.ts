// Multi-index hashing over 64-bit hashes, grown one hash at a time and queried one hash at a time (incremental
// clustering); whole-set searches use the join in hamming-join.ts. The hash is cut into four 16-bit chunks, each
// with its own table. By the general pigeonhole principle,
// if two hashes differ in at most T bits and the chunks get radii t_i with sum(t_i + 1) = T + 1, then some
// chunk i differs in at most t_i bits; so probing every chunk value within t_i of the query finds every hit.
import { chunkRadii as radiiOverChunks, flipMasks, hammingJoin, type HashColumns } from './hamming-join';
import { hamming64 } from './popcount';

const CHUNKS = 4;
const CHUNK_BITS = 16;
const CHUNK_VALUES = 1 << CHUNK_BITS;

/** Per-chunk radii for threshold T: T + 1 split as evenly as possible, minus one each (-1 = chunk not probed). */
export function chunkRadii(threshold: number): number[] {
  return radiiOverChunks(threshold, CHUNKS);
}

function chunkOf(hi: number, lo: number, c: number): number {
  switch (c) {
    case 0:
      return hi >>> 16;
    case 1:
      return hi & 0xffff;
    case 2:
      return lo >>> 16;
    default:
      return lo & 0xffff;
  }
}

export class MultiIndex {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private owners = new Int32Array(1024);
  private count = 0;
  /** tables[c][value] = key numbers whose chunk c equals value (created on first use). */
  private readonly tables: (number[] | undefined)[][] = Array.from({ length: CHUNKS }, () => new Array<number[] | undefined>(CHUNK_VALUES));

  get size(): number {
    return this.count;
  }

  /** Adds a hash owned by `owner` (an image id); returns its key number. */
  add(hi: number, lo: number, owner: number): number {
    if (this.count === this.hi.length) this.grow();
    const key = this.count++;
    this.hi[key] = hi >>> 0;
    this.lo[key] = lo >>> 0;
    this.owners[key] = owner;
    for (let c = 0; c < CHUNKS; c++) {
      const table = this.tables[c]!;
      const value = chunkOf(hi >>> 0, lo >>> 0, c);
      (table[value] ??= []).push(key);
    }
    return key;
  }

  /** The stored hashes, indexed by key number. */
  columns(): HashColumns {
    return { hi: this.hi.subarray(0, this.count), lo: this.lo.subarray(0, this.count) };
  }

  owner(key: number): number {
    return this.owners[key]!;
  }

  /** The owner of every stored hash, indexed by key number. */
  ownerColumn(): Int32Array {
    return this.owners.subarray(0, this.count);
  }

  /** Calls `visit` for every stored key within `threshold` of the hash (a key may be visited more than once). */
  query(hi: number, lo: number, threshold: number, visit: (key: number, distance: number) => void): void {
    const radii = chunkRadii(threshold);
    hi >>>= 0;
    lo >>>= 0;
    for (let c = 0; c < CHUNKS; c++) {
      if (radii[c]! < 0) continue;
      const table = this.tables[c]!;
      const value = chunkOf(hi, lo, c);
      const masks = flipMasks(CHUNK_BITS, radii[c]!);
      for (let m = 0; m < masks.length; m++) {
        const bucket = table[value ^ masks[m]!];
        if (!bucket) continue;
        for (let i = 0; i < bucket.length; i++) {
          const key = bucket[i]!;
          const d = hamming64(hi, lo, this.hi[key]!, this.lo[key]!);
          if (d <= threshold) visit(key, d);
        }
      }
    }
  }

  /** Every pair of stored keys within `threshold`, each pair once (keyA < keyB), by a join of all keys with themselves. */
  selfJoin(threshold: number, visit: (keyA: number, keyB: number, distance: number) => void): void {
    hammingJoin(this.columns(), null, threshold, visit);
  }

  private grow(): void {
    const size = this.hi.length * 2;
    const grow32 = <T extends Uint32Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.hi = grow32(this.hi, (n) => new Uint32Array(n));
    this.lo = grow32(this.lo, (n) => new Uint32Array(n));
    this.owners = grow32(this.owners, (n) => new Int32Array(n));
  }
}
