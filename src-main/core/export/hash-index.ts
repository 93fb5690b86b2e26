// Multi-index hashing over 64-bit perceptual hashes: finds every stored hash within Hamming distance t of a
// query without comparing against all of them. The hash is cut into m chunks with radii r_i summing (plus
// one each) to t + 1; by pigeonhole a hash within distance t differs from the query by at most r_i bits in
// some chunk i, so only the buckets within r_i of each query chunk are visited (r_i = -1: chunk skipped).
// m is chosen from a cost model of the index size and threshold; buckets are CSR typed arrays.

/** Hashes as two unsigned 32-bit halves (hi = first 8 hex digits). */
export interface HashList {
  hi: Uint32Array;
  lo: Uint32Array;
}

/**
 * 16-bit chunks keep each bucket table (256 KB of offsets) in cache; wider chunks probe fewer candidates but
 * every probe then misses cache, which measured ~3x slower per query at 650k hashes.
 */
const MAX_CHUNK_BITS = 16;

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function hamming64(hiA: number, loA: number, hiB: number, loB: number): number {
  return popcount32((hiA ^ hiB) >>> 0) + popcount32((loA ^ loB) >>> 0);
}

export function parseHexHash(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0];
}

function binomialSum(bits: number, radius: number): number {
  let sum = 0;
  let term = 1;
  for (let i = 0; i <= radius && i <= bits; i++) {
    sum += term;
    term = (term * (bits - i)) / (i + 1);
  }
  return sum;
}

/** Bit widths of m chunks covering 64 bits as evenly as possible. */
function chunkWidths(m: number): number[] {
  const base = Math.floor(64 / m);
  const extra = 64 - base * m;
  return Array.from({ length: m }, (_, i) => base + (i < extra ? 1 : 0));
}

export interface IndexPlan {
  /** 0 means a linear scan is cheaper than any chunking. */
  chunks: number;
  /** Per chunk; -1 means the chunk is not probed. */
  radii: number[];
  estimatedCostPerQuery: number;
}

/** t + 1 shared out as evenly as possible over m chunks, minus one each. */
export function chunkRadii(threshold: number, m: number): number[] {
  const total = threshold + 1;
  return Array.from({ length: m }, (_, i) => Math.floor(total / m) + (i < total % m ? 1 : 0) - 1);
}

/** Expected work per query for each chunk count; probes plus expected candidates per probe. */
export function planIndex(size: number, threshold: number): IndexPlan {
  let best: IndexPlan = { chunks: 0, radii: [], estimatedCostPerQuery: size };
  for (let m = Math.ceil(64 / MAX_CHUNK_BITS); m <= 16; m++) {
    const widths = chunkWidths(m);
    const radii = chunkRadii(threshold, m);
    let cost = 0;
    // Radii and widths both run largest first, so the widest chunks get the largest radii.
    widths.forEach((bits, i) => {
      if (radii[i]! >= 0) cost += binomialSum(bits, radii[i]!) * (1 + size / 2 ** bits);
    });
    if (cost < best.estimatedCostPerQuery) best = { chunks: m, radii, estimatedCostPerQuery: cost };
  }
  return best;
}

/** Reads `width` bits starting at bit `start` (0 = least significant bit of lo) of a 64-bit value. */
function bitsOf(hi: number, lo: number, start: number, width: number): number {
  const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
  if (start >= 32) return (hi >>> (start - 32)) & mask;
  if (start + width <= 32) return (lo >>> start) & mask;
  const lowPart = lo >>> start;
  const highPart = hi << (32 - start);
  return (lowPart | highPart) & mask;
}

/** Every mask of `bits` bits with at most `radius` bits set. */
function flipMasks(bits: number, radius: number): Int32Array {
  const out: number[] = [0];
  const extend = (mask: number, from: number, left: number) => {
    if (left === 0) return;
    for (let b = from; b < bits; b++) {
      const next = mask | (1 << b);
      out.push(next);
      extend(next, b + 1, left - 1);
    }
  };
  extend(0, 0, radius);
  return Int32Array.from(out);
}

interface Chunk {
  start: number;
  width: number;
  /** CSR buckets: entries of bucket v are order[offsets[v] .. offsets[v+1]). */
  offsets: Uint32Array;
  order: Uint32Array;
  /** The hashes again in bucket order, so a probe reads one contiguous run instead of scattered entries. */
  hi: Uint32Array;
  lo: Uint32Array;
  radius: number;
  masks: Int32Array;
}

export class HammingIndex {
  private readonly chunks: Chunk[] = [];
  readonly plan: IndexPlan;

  constructor(
    private readonly hashes: HashList,
    private readonly threshold: number,
  ) {
    const size = hashes.hi.length;
    this.plan = planIndex(size, threshold);
    let start = 0;
    const widths = this.plan.chunks ? chunkWidths(this.plan.chunks) : [];
    for (let c = 0; c < widths.length; c++) {
      const width = widths[c]!;
      const radius = this.plan.radii[c]!;
      if (radius < 0) {
        start += width;
        continue;
      }
      const buckets = 2 ** width;
      const offsets = new Uint32Array(buckets + 1);
      const values = new Uint32Array(size);
      for (let i = 0; i < size; i++) {
        const v = bitsOf(hashes.hi[i]!, hashes.lo[i]!, start, width);
        values[i] = v;
        offsets[v + 1]!++;
      }
      for (let v = 0; v < buckets; v++) offsets[v + 1]! += offsets[v]!;
      const fill = offsets.slice(0, buckets);
      const order = new Uint32Array(size);
      for (let i = 0; i < size; i++) order[fill[values[i]!]!++] = i;
      const sortedHi = new Uint32Array(size);
      const sortedLo = new Uint32Array(size);
      for (let p = 0; p < size; p++) {
        sortedHi[p] = hashes.hi[order[p]!]!;
        sortedLo[p] = hashes.lo[order[p]!]!;
      }
      this.chunks.push({ start, width, offsets, order, hi: sortedHi, lo: sortedLo, radius, masks: flipMasks(width, radius) });
      start += width;
    }
  }

  /** Calls `found(entry, distance)` for every stored hash (by its position in the list) within the threshold. */
  query(hi: number, lo: number, found: (entry: number, distance: number) => void): void {
    const { hi: his, lo: los } = this.hashes;
    const t = this.threshold;
    if (this.plan.chunks === 0) {
      for (let i = 0; i < his.length; i++) {
        const d = hamming64(hi, lo, his[i]!, los[i]!);
        if (d <= t) found(i, d);
      }
      return;
    }
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      const value = bitsOf(hi, lo, chunk.start, chunk.width);
      const { offsets, order, masks } = chunk;
      const chi = chunk.hi;
      const clo = chunk.lo;
      for (let k = 0; k < masks.length; k++) {
        const bucket = value ^ masks[k]!;
        const end = offsets[bucket + 1]!;
        for (let p = offsets[bucket]!; p < end; p++) {
          const d = popcount32((hi ^ chi[p]!) >>> 0) + popcount32((lo ^ clo[p]!) >>> 0);
          if (d > t) continue;
          // Report a pair only from the first chunk that can see it, so no pair is reported twice.
          if (c > 0 && this.seenInEarlierChunk(hi, lo, chi[p]!, clo[p]!, c)) continue;
          found(order[p]!, d);
        }
      }
    }
  }

  private seenInEarlierChunk(hiA: number, loA: number, hiB: number, loB: number, chunkIndex: number): boolean {
    for (let c = 0; c < chunkIndex; c++) {
      const { start, width, radius } = this.chunks[c]!;
      if (popcount32((bitsOf(hiA, loA, start, width) ^ bitsOf(hiB, loB, start, width)) >>> 0) <= radius) return true;
    }
    return false;
  }
}
