// A fixed set of vectors kept as int8 (one scale per vector) in WebAssembly memory for exact nearest-neighbour
// search over more vectors than PackedVectors should hold: a quarter of the memory, and a scan bound by memory
// reads rather than arithmetic reads a quarter of the bytes (int8-dot-kernel.wat). Each approximate score comes with
// a bound on its error, so the rows that could be among the k best are known for certain; only those are scored
// again from their float32 vectors, and the answer is the exact top k.
import { SporeprintError } from '../errors';
import type { Neighbour } from './hnsw-index';
import { INT8_DOT_KERNEL_WASM } from './int8-dot-kernel-binary';
import { checkDimensions, checkLength, checkRow, kernelMemory } from './scan-memory';
import { BestK } from './top-k';

interface KernelExports {
  scores(matrix: number, rows: number, stride: number, query: number, scales: number, out: number): void;
}

const compiled = new WebAssembly.Module(Buffer.from(INT8_DOT_KERNEL_WASM, 'base64'));
/** The kernel reads 32 int8 per step: rows are padded with zeros to a multiple of it. */
const STEP = 32;
const INT8_MAX = 127;
const INT16_MAX = 32767;
/**
 * Slack added to every error bound for float32 rounding in the kernel (the integer sum converted to float32, times
 * the row's scale: a relative error under 1e-7 of a score at most ~1) and in the float64 arithmetic after it.
 */
const ROUNDING_SLACK = 1e-6;

/** Float32 vectors by image id: the candidates' exact vectors, read by the caller (from the catalogue). */
export type ExactVectors = (ids: number[]) => Map<number, Float32Array>;

export class QuantizedVectors {
  readonly ids: Float64Array;
  /** Memory held: the int8 rows, the query, scales and scores (WebAssembly), and the per-row L1 norms. */
  readonly byteLength: number;
  private readonly stride: number;
  private readonly int8: Int8Array;
  private readonly int16: Int16Array;
  private readonly floats: Float32Array;
  private readonly kernel: KernelExports;
  /** Byte offsets of the query, the scales and the scores; the rows start at 0. */
  private readonly queryAt: number;
  private readonly scalesAt: number;
  private readonly scoresAt: number;
  /** Sum of |int8| of each row: what bounds the error the query's own rounding adds to its score. */
  private readonly rowL1: Float32Array;
  /**
   * The largest query integer: 32767, or less where `dim` products of 127 by it could leave the int32 range
   * (dimensions past 516), so that no partial sum in the kernel can overflow.
   */
  private readonly queryMax: number;
  /** The largest row scale, and the largest scale times |c|_1: what bounds every row's error bound. */
  private maxScale = 0;
  private maxScaledL1 = 0;

  constructor(
    readonly dim: number,
    readonly rows: number,
  ) {
    checkDimensions(dim);
    this.stride = Math.ceil(dim / STEP) * STEP;
    this.queryAt = rows * this.stride;
    this.scalesAt = this.queryAt + this.stride * 2;
    this.scoresAt = this.scalesAt + rows * 4;
    const size = this.scoresAt + rows * 4;
    const { memory, kernel } = kernelMemory<KernelExports>(compiled, size, { rows, dim, scan: 'a quantized scan' });
    this.kernel = kernel;
    this.int8 = new Int8Array(memory.buffer);
    this.int16 = new Int16Array(memory.buffer);
    this.floats = new Float32Array(memory.buffer);
    this.ids = new Float64Array(rows);
    this.rowL1 = new Float32Array(rows);
    this.queryMax = Math.min(INT16_MAX, Math.floor((2 ** 31 - 1) / (this.stride * INT8_MAX)));
    this.byteLength = memory.buffer.byteLength + this.rowL1.byteLength;
  }

  /**
   * Row `row` is image `id` with this vector: a Float32Array, or the little-endian float32 bytes of a stored BLOB
   * (copied first, so a BLOB's buffer need not be 4-byte aligned). Stored as int8 times max|x| / 127.
   */
  set(row: number, id: number, vector: Float32Array | Uint8Array): void {
    checkRow(row, this.rows);
    const v = vector instanceof Float32Array ? vector : new Float32Array(Uint8Array.from(vector).buffer);
    checkLength(id, v.length, this.dim);
    let max = 0;
    for (let d = 0; d < v.length; d++) max = Math.max(max, Math.abs(v[d]!));
    const scale = max > 0 ? max / INT8_MAX : 0;
    const o = row * this.stride;
    let l1 = 0;
    for (let d = 0; d < v.length; d++) {
      const c = scale > 0 ? Math.round(v[d]! / scale) : 0;
      this.int8[o + d] = c;
      l1 += Math.abs(c);
    }
    this.floats[this.scalesAt / 4 + row] = scale;
    this.rowL1[row] = l1;
    // Only ever raised: a row set twice keeps the older, wider bound, which stays valid (merely looser).
    this.maxScale = Math.max(this.maxScale, scale);
    this.maxScaledL1 = Math.max(this.maxScaledL1, scale * l1);
    this.ids[row] = id;
  }

  /** Row `to` becomes row `fromRow` of `from` (same dimensions): its int8 values, scale and bounds copied, nothing re-quantized. */
  copyRow(to: number, from: QuantizedVectors, fromRow: number): void {
    checkRow(to, this.rows);
    if (from.dim !== this.dim)
      throw new SporeprintError('INDEX_ERROR', `cannot copy a row of ${from.dim} dimensions into rows of ${this.dim}`);
    const start = fromRow * from.stride;
    this.int8.set(from.int8.subarray(start, start + this.stride), to * this.stride);
    const scale = from.floats[from.scalesAt / 4 + fromRow]!;
    const l1 = from.rowL1[fromRow]!;
    this.floats[this.scalesAt / 4 + to] = scale;
    this.rowL1[to] = l1;
    this.maxScale = Math.max(this.maxScale, scale);
    this.maxScaledL1 = Math.max(this.maxScaledL1, scale * l1);
    this.ids[to] = from.ids[fromRow]!;
  }

  /**
   * The rows whose exact score could be among the k best, found from the int8 scores and their error bounds:
   * every row whose upper bound reaches a lower bound on the k-th best exact score. Returned with their int8 scores.
   */
  candidates(query: Float32Array, k: number): { ids: number[]; approximate: number[] } {
    if (query.length !== this.dim)
      throw new SporeprintError('INDEX_ERROR', `query has ${query.length} dimensions, the scan's vectors have ${this.dim}`);
    let max = 0;
    let queryL1 = 0;
    for (let d = 0; d < query.length; d++) {
      max = Math.max(max, Math.abs(query[d]!));
      queryL1 += Math.abs(query[d]!);
    }
    // The query in int16: q = t * d + e with |e| <= t / 2 per component.
    const t = max > 0 ? max / this.queryMax : 0;
    const q0 = this.queryAt / 2;
    for (let d = 0; d < query.length; d++) this.int16[q0 + d] = t > 0 ? Math.round(query[d]! / t) : 0;
    this.kernel.scores(0, this.rows, this.stride, this.queryAt, this.scalesAt, this.scoresAt);
    // With x = s * c + e (|e| <= s / 2 per component), x.q differs from s * t * c.d by at most
    // s / 2 * |q|_1 (the row's rounding) + t / 2 * s * |c|_1 (the query's).
    const { floats, rowL1, ids } = this;
    const s0 = this.scalesAt / 4;
    const o0 = this.scoresAt / 4;
    const boundOf = (r: number) => (floats[s0 + r]! * (queryL1 + t * rowL1[r]!)) / 2 + ROUNDING_SLACK;
    // The k best by int8 score: each scores at least its score less its bound exactly, so the k-th best exact
    // score is at least the lowest of those (`floor`), and no row whose score plus bound is below it can be in
    // the top k. Only these k bounds are computed here, and below only those of the rows near the floor.
    const top = new BestK(Math.min(k, this.rows));
    for (let r = 0; r < this.rows; r++) top.offer(floats[o0 + r]!, r);
    const kept = top.sorted();
    if (kept.length === 0) return { ids: [], approximate: [] };
    let floor = Infinity;
    for (const { imageId: r, score } of kept) floor = Math.min(floor, t * score - boundOf(r));
    // No row's bound exceeds this: rows whose score is below the floor by more are skipped with one comparison.
    const widest = (this.maxScale * queryL1 + t * this.maxScaledL1) / 2 + ROUNDING_SLACK;
    const skipBelow = t > 0 ? (floor - widest) / t : -Infinity;
    const out = { ids: [] as number[], approximate: [] as number[] };
    for (let r = 0; r < this.rows; r++) {
      const raw = floats[o0 + r]!;
      if (raw < skipBelow) continue;
      const score = t * raw;
      if (score + boundOf(r) >= floor) {
        out.ids.push(ids[r]!);
        out.approximate.push(score);
      }
    }
    return out;
  }

  /** The k rows with the highest inner product with `query`, best first (ties by id): exact, from `exact`'s vectors. */
  nearest(query: Float32Array, k: number, exact: ExactVectors): Neighbour[] {
    const { ids } = this.candidates(query, k);
    const vectors = exact(ids);
    const best = new BestK(Math.min(k, ids.length));
    for (const id of ids) {
      const v = vectors.get(id);
      if (!v) throw new SporeprintError('INDEX_ERROR', `no stored vector for image ${id}, a candidate of the quantized scan`);
      let s = 0;
      for (let d = 0; d < this.dim; d++) s += v[d]! * query[d]!;
      best.offer(s, id);
    }
    return best.sorted();
  }
}
