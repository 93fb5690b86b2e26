// Multi-index hashing over 64-bit hashes, grown one hash at a time and queried one hash at a time (incremental
// clustering); whole-set searches use the join in hamming-join.ts. The hash is cut into four 16-bit chunks, each
// with its own table. By the general pigeonhole principle,
// if two hashes differ in at most T bits and the chunks get radii t_i with sum(t_i + 1) = T + 1, then some
// chunk i differs in at most t_i bits; so probing every chunk value within t_i of the query finds every hit.
// A query compares thousands of stored hashes (real pHash chunks are skewed), so the tables hold the hashes
// themselves, in memory order: most in one array per chunk sorted by chunk value (`packed`), the hashes added
// since it was last sorted in small per-value buckets (`recent`), re-sorted into `packed` once they are a
// sixteenth of it. Buckets of key numbers pointing into the hash columns cost a cache miss per comparison: 4.5x slower.
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

/** Hashes sorted by one chunk's value: value v's entries are [hi, lo, key] triples offsets[v] to offsets[v + 1]. */
interface PackedChunk {
  offsets: Uint32Array;
  entries: Uint32Array;
}

/** Per chunk value, [count, hi, lo, key, hi, lo, key, ...] with room to grow (created on first use). */
type RecentTable = (Uint32Array | undefined)[];

/**
 * The recent buckets are sorted into the packed arrays past this many hashes or 1/RECENT_SHARE of the packed ones.
 * Probing both structures costs, so the recent part is kept small: 1,000 adds to 29,000 images took 10.6 ms CPU
 * per add with a quarter, 7.2 ms with a sixteenth (same load); a re-sort is O(n) per sixteenth added.
 */
const RECENT_MIN = 4096;
const RECENT_SHARE = 16;

export class MultiIndex {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private owners = new Int32Array(1024);
  private count = 0;
  /** Keys below this are in `packed`, the others in `recent`. */
  private packedCount = 0;
  private packed: PackedChunk[] = [];
  private recent: RecentTable[] = emptyRecentTables();

  get size(): number {
    return this.count;
  }

  /** Adds a hash owned by `owner` (an image id); returns its key number. */
  add(hi: number, lo: number, owner: number): number {
    if (this.count === this.hi.length) this.grow();
    const key = this.count++;
    hi >>>= 0;
    lo >>>= 0;
    this.hi[key] = hi;
    this.lo[key] = lo;
    this.owners[key] = owner;
    if (this.count - this.packedCount > Math.max(RECENT_MIN, this.packedCount / RECENT_SHARE)) this.pack();
    else for (let c = 0; c < CHUNKS; c++) addToBucket(this.recent[c]!, chunkOf(hi, lo, c), hi, lo, key);
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
      const value = chunkOf(hi, lo, c);
      const masks = flipMasks(CHUNK_BITS, radii[c]!);
      const packed = this.packed[c];
      if (packed) {
        const { offsets, entries } = packed;
        for (let m = 0; m < masks.length; m++) {
          const v = value ^ masks[m]!;
          const end = 3 * offsets[v + 1]!;
          for (let i = 3 * offsets[v]!; i < end; i += 3) {
            const d = hamming64(hi, lo, entries[i]!, entries[i + 1]!);
            if (d <= threshold) visit(entries[i + 2]!, d);
          }
        }
      }
      const recent = this.recent[c]!;
      for (let m = 0; m < masks.length; m++) {
        const bucket = recent[value ^ masks[m]!];
        if (bucket === undefined) continue;
        const end = 3 * bucket[0]! + 1;
        for (let i = 1; i < end; i += 3) {
          const d = hamming64(hi, lo, bucket[i]!, bucket[i + 1]!);
          if (d <= threshold) visit(bucket[i + 2]!, d);
        }
      }
    }
  }

  /** Every pair of stored keys within `threshold`, each pair once (keyA < keyB), by a join of all keys with themselves. */
  selfJoin(threshold: number, visit: (keyA: number, keyB: number, distance: number) => void): void {
    hammingJoin(this.columns(), null, threshold, visit);
  }

  /** Sorts every hash into the packed arrays by a counting sort per chunk, and empties the recent buckets. */
  private pack(): void {
    const n = this.count;
    this.packed = Array.from({ length: CHUNKS }, (_, c) => {
      const offsets = new Uint32Array(CHUNK_VALUES + 1);
      for (let key = 0; key < n; key++) offsets[chunkOf(this.hi[key]!, this.lo[key]!, c) + 1]!++;
      for (let v = 0; v < CHUNK_VALUES; v++) offsets[v + 1]! += offsets[v]!;
      const next = offsets.slice(0, CHUNK_VALUES);
      const entries = new Uint32Array(3 * n);
      for (let key = 0; key < n; key++) {
        const at = 3 * next[chunkOf(this.hi[key]!, this.lo[key]!, c)]!++;
        entries[at] = this.hi[key]!;
        entries[at + 1] = this.lo[key]!;
        entries[at + 2] = key;
      }
      return { offsets, entries };
    });
    this.packedCount = n;
    this.recent = emptyRecentTables();
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

function emptyRecentTables(): RecentTable[] {
  return Array.from({ length: CHUNKS }, () => new Array<Uint32Array | undefined>(CHUNK_VALUES));
}

function addToBucket(table: RecentTable, value: number, hi: number, lo: number, key: number): void {
  let bucket = table[value];
  if (bucket === undefined) bucket = table[value] = new Uint32Array(7);
  else if (3 * bucket[0]! + 4 > bucket.length) {
    const bigger = new Uint32Array(2 * bucket.length - 1);
    bigger.set(bucket);
    bucket = table[value] = bigger;
  }
  const at = 3 * bucket[0]! + 1;
  bucket[at] = hi;
  bucket[at + 1] = lo;
  bucket[at + 2] = key;
  bucket[0]!++;
}
