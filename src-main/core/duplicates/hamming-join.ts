// Every pair of 64-bit hashes within a Hamming threshold, between two sets (or within one), by multi-index
// hashing applied to whole sets at once. Each set is sorted by a chunk of its bits; by the general pigeonhole
// principle, two hashes within T bits differ in some chunk i by at most r_i bits when sum(r_i + 1) = T + 1, so
// only bucket pairs whose chunk values are within r_i are compared. Walking bucket pairs (rather than issuing
// one query per hash) reads both sides in chunk order, which keeps memory access sequential.
import { joinSortedSides, type KernelSide } from './kernel/hamming-kernel';
import { hamming64, popcount32 } from './popcount';

/** Hashes as two unsigned 32-bit halves (hi = the first 8 hex digits). */
export interface HashColumns {
  hi: Uint32Array;
  lo: Uint32Array;
}

export interface JoinChunk {
  /** First bit (0 = least significant bit of lo). */
  start: number;
  width: number;
  /** Chunk values within `radius` bits are paired; -1 means the chunk is not probed. */
  radius: number;
}

/**
 * 2^17 bucket offsets (512 KB) stay in the L2 cache; wider chunks miss it on every probe. Measured on 1M hashes
 * at threshold 10: widths 17,17,17,13 join in 3.3 s, four 16-bit chunks in 3.6 s; the cost model never picks
 * wider chunks when allowed to.
 */
const MAX_CHUNK_BITS = 17;
const MIN_CHUNKS = Math.ceil(64 / MAX_CHUNK_BITS);
const MAX_CHUNKS = 6;

/** T + 1 shared out as evenly as possible over m chunks, minus one each, largest first. */
export function chunkRadii(threshold: number, m: number): number[] {
  const total = threshold + 1;
  return Array.from({ length: m }, (_, i) => Math.floor(total / m) + (i < total % m ? 1 : 0) - 1);
}

/** How many values of `bits` bits lie within `radius` bits of a given one. */
function ballSize(bits: number, radius: number): number {
  let sum = 0;
  let term = 1;
  for (let i = 0; i <= radius && i <= bits; i++) {
    sum += term;
    term = (term * (bits - i)) / (i + 1);
  }
  return sum;
}

/** Non-increasing chunk widths summing to 64, each at most MAX_CHUNK_BITS. */
function widthChoices(m: number): number[][] {
  const out: number[][] = [];
  const extend = (prefix: number[], left: number, max: number) => {
    if (prefix.length === m) {
      if (left === 0) out.push(prefix);
      return;
    }
    const slots = m - prefix.length;
    for (let w = Math.min(max, left); w * slots >= left && w >= 1; w--) extend([...prefix, w], left - w, w);
  };
  extend([], 64, MAX_CHUNK_BITS);
  return out;
}

export interface JoinPlan {
  /** Empty: comparing every pair is cheaper than any chunking. */
  chunks: JoinChunk[];
  /** Expected bucket probes plus candidate comparisons (random hashes). */
  estimatedCost: number;
}

/**
 * Picks chunk count and widths from a cost model: probes (one per distinct left value and flip mask) plus
 * expected candidates (left x right x the share of buckets probed). The widest chunks get the largest radii.
 */
export function planJoin(leftSize: number, rightSize: number, threshold: number, self: boolean): JoinPlan {
  const pairs = self ? (leftSize * (leftSize - 1)) / 2 : leftSize * rightSize;
  let best: JoinPlan = { chunks: [], estimatedCost: pairs };
  for (let m = MIN_CHUNKS; m <= MAX_CHUNKS; m++) {
    const radii = chunkRadii(threshold, m);
    for (const widths of widthChoices(m)) {
      const cost = widths.reduce((sum, width, i) => sum + chunkCost({ start: 0, width, radius: radii[i]! }, leftSize, rightSize, self), 0);
      if (cost < best.estimatedCost) {
        let start = 64;
        const chunks = widths.map((width, i) => ({ start: (start -= width), width, radius: radii[i]! }));
        best = { chunks, estimatedCost: cost };
      }
    }
  }
  return best;
}

/** Reads `width` bits starting at bit `start` (0 = least significant bit of lo). */
function bitsOf(hi: number, lo: number, start: number, width: number): number {
  const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
  if (start >= 32) return (hi >>> (start - 32)) & mask;
  if (start + width <= 32) return (lo >>> start) & mask;
  return ((lo >>> start) | (hi << (32 - start))) & mask;
}

const maskCache = new Map<string, Uint32Array>();
/** Every `bits`-bit XOR mask of weight <= radius. */
export function flipMasks(bits: number, radius: number): Uint32Array {
  const key = `${bits}:${radius}`;
  let masks = maskCache.get(key);
  if (!masks) {
    const out: number[] = [0];
    const extend = (mask: number, from: number, left: number) => {
      if (left === 0) return;
      for (let b = from; b < bits; b++) {
        out.push(mask | (1 << b));
        extend(mask | (1 << b), b + 1, left - 1);
      }
    };
    extend(0, 0, radius);
    masks = Uint32Array.from(out);
    maskCache.set(key, masks);
  }
  return masks;
}

/** One set sorted by one chunk, for the kernel, plus each position's index in the set. */
function sortByChunk(set: HashColumns, chunk: JoinChunk): KernelSide & { keys: Uint32Array } {
  const n = set.hi.length;
  const buckets = 2 ** chunk.width;
  const offsets = new Uint32Array(buckets + 1);
  const valueOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = bitsOf(set.hi[i]!, set.lo[i]!, chunk.start, chunk.width);
    valueOf[i] = v;
    offsets[v + 1]!++;
  }
  let distinct = 0;
  for (let v = 0; v < buckets; v++) {
    if (offsets[v + 1]! > 0) distinct++;
    offsets[v + 1]! += offsets[v]!;
  }
  const values = new Uint32Array(distinct);
  for (let v = 0, k = 0; v < buckets; v++) if (offsets[v + 1]! > offsets[v]!) values[k++] = v;
  const fill = offsets.slice(0, buckets);
  const keys = new Uint32Array(n);
  const hashes = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const p = fill[valueOf[i]!]!++;
    keys[p] = i;
    hashes[2 * p] = set.lo[i]!;
    hashes[2 * p + 1] = set.hi[i]!;
  }
  return { offsets, values, hashes, keys };
}

export type PairVisitor = (left: number, right: number, distance: number) => void;

/**
 * Calls `visit(i, j, distance)` exactly once for every i in `left` and j in `right` within `threshold`. With
 * `right` null the join is of `left` with itself: every pair i < j once, no hash paired with itself.
 */
export function hammingJoin(
  left: HashColumns,
  right: HashColumns | null,
  threshold: number,
  visit: PairVisitor,
  /** Tests pass a plan to exercise chunking on sets small enough to check against brute force. */
  plan: JoinPlan = planJoin(left.hi.length, (right ?? left).hi.length, threshold, right === null),
): JoinPlan {
  if (plan.chunks.length === 0) joinByScan(left, right ?? left, right === null, threshold, visit);
  else plan.chunks.forEach((_, c) => joinOneChunk(left, right, threshold, plan.chunks, c, visit));
  return plan;
}

/**
 * The pairs that chunk `c` of the plan finds and no earlier chunk does: chunks are independent of each other,
 * so they may run on different threads (see parallel-join.ts) and together still report each pair once.
 */
export function joinOneChunk(
  left: HashColumns,
  right: HashColumns | null,
  threshold: number,
  chunks: JoinChunk[],
  c: number,
  visit: PairVisitor,
): void {
  const chunk = chunks[c]!;
  if (chunk.radius < 0) return;
  const self = right === null;
  const other = right ?? left;
  const a = sortByChunk(left, chunk);
  const b = self ? null : sortByChunk(other, chunk);
  const bKeys = (b ?? a).keys;
  joinSortedSides(a, b, flipMasks(chunk.width, chunk.radius), threshold, (p, q, d) => {
    const i = a.keys[p]!;
    const j = bKeys[q]!;
    // A pair close enough in an earlier chunk was reported there.
    if (c > 0 && inEarlierChunk(chunks, c, left.hi[i]!, left.lo[i]!, other.hi[j]!, other.lo[j]!)) return;
    if (self && i > j) visit(j, i, d);
    else visit(i, j, d);
  });
}

/** Expected work of one chunk of a plan (probes plus candidates), for sharing chunks out between threads. */
export function chunkCost(chunk: JoinChunk, leftSize: number, rightSize: number, self: boolean): number {
  if (chunk.radius < 0) return 0;
  const pairs = self ? (leftSize * (leftSize - 1)) / 2 : leftSize * rightSize;
  const ball = ballSize(chunk.width, chunk.radius);
  return Math.min(leftSize, 2 ** chunk.width) * ball + leftSize + rightSize + pairs * (ball / 2 ** chunk.width);
}

function inEarlierChunk(chunks: JoinChunk[], c: number, hiA: number, loA: number, hiB: number, loB: number): boolean {
  for (let k = 0; k < c; k++) {
    const { start, width, radius } = chunks[k]!;
    if (radius >= 0 && popcount32((bitsOf(hiA, loA, start, width) ^ bitsOf(hiB, loB, start, width)) >>> 0) <= radius) return true;
  }
  return false;
}

function joinByScan(left: HashColumns, right: HashColumns, self: boolean, t: number, visit: PairVisitor): void {
  for (let i = 0; i < left.hi.length; i++) {
    const hi = left.hi[i]!;
    const lo = left.lo[i]!;
    for (let j = self ? i + 1 : 0; j < right.hi.length; j++) {
      const d = hamming64(hi, lo, right.hi[j]!, right.lo[j]!);
      if (d <= t) visit(i, j, d);
    }
  }
}
