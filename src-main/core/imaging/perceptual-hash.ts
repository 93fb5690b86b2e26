// 64-bit DCT perceptual hash (pHash): low-frequency 8x8 DCT block of a 32x32 grey image vs its median.

export const PHASH_INPUT_SIZE = 32;
const BLOCK = 8;

/** Cosine table for an N-point DCT-II, computed once. */
function dctTable(n: number): Float64Array {
  const table = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let x = 0; x < n; x++) table[k * n + x] = Math.cos(((2 * x + 1) * k * Math.PI) / (2 * n));
  return table;
}
const COS32 = dctTable(PHASH_INPUT_SIZE);

/** The top-left 8x8 block of the 2-D DCT-II of a 32x32 grey image (row-major, 64 values). */
export function lowFrequencyDct(grey32: Uint8Array | Float64Array): Float64Array {
  const n = PHASH_INPUT_SIZE;
  if (grey32.length !== n * n) throw new Error(`pHash needs ${n}x${n} grey pixels, got ${grey32.length}`);
  // Rows first (only the 8 lowest frequencies are needed), then columns.
  const rows = new Float64Array(n * BLOCK);
  for (let y = 0; y < n; y++)
    for (let u = 0; u < BLOCK; u++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += grey32[y * n + x]! * COS32[u * n + x]!;
      rows[y * BLOCK + u] = sum;
    }
  const block = new Float64Array(BLOCK * BLOCK);
  for (let v = 0; v < BLOCK; v++)
    for (let u = 0; u < BLOCK; u++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += rows[y * BLOCK + u]! * COS32[v * n + y]!;
      block[v * BLOCK + u] = sum;
    }
  return block;
}

/** Bits set where a coefficient exceeds the median of the 63 AC coefficients; returned as 16 hex chars. */
export function hashFromDctBlock(block: Float64Array): string {
  const ac = Array.from(block.subarray(1)).sort((a, b) => a - b);
  const median = (ac[31]! + ac[32]!) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) value = (value << 1) | (block[nibble * 4 + bit]! > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

export function computePerceptualHash(grey32: Uint8Array): string {
  return hashFromDctBlock(lowFrequencyDct(grey32));
}
