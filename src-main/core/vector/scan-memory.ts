// What the two scan layouts share (PackedVectors' float32 rows, QuantizedVectors' int8 rows): checks on their
// shape, and one WebAssembly memory, addressed with 32 bits, with the scan's kernel instantiated over it.
import { SporeprintError } from '../errors';

const PAGE = 65536;
/** 32-bit addresses: at most 4 GiB, about 2M vectors of 512 floats. */
const MAX_BYTES = 65536 * PAGE;

export function checkDimensions(dim: number): void {
  if (!Number.isInteger(dim) || dim < 1) throw new SporeprintError('INDEX_ERROR', `a vector needs at least one dimension, not ${dim}`);
}

/** A vector for image `id` of `length` values, where the scan holds `dim`. */
export function checkLength(id: number, length: number, dim: number): void {
  if (length !== dim)
    throw new SporeprintError('INDEX_ERROR', `vector for image ${id} has ${length} dimensions, the scan's vectors have ${dim}`);
}

export function checkRow(row: number, rows: number): void {
  if (row < 0 || row >= rows) throw new RangeError(`row ${row} is outside 0..${rows - 1}`);
}

/**
 * A memory of at least `bytes` with `compiled` instantiated over it (its exports typed `K` by the caller, who knows
 * the kernel). `scan` names the layout in the error when `rows` vectors of `dim` values do not fit.
 */
export function kernelMemory<K>(
  compiled: WebAssembly.Module,
  bytes: number,
  what: { rows: number; dim: number; scan: string },
): { memory: WebAssembly.Memory; kernel: K } {
  if (bytes > MAX_BYTES)
    throw new SporeprintError('INDEX_ERROR', `${what.rows} vectors of ${what.dim} floats do not fit ${what.scan}'s 4 GiB`);
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const kernel = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as K;
  return { memory, kernel };
}
