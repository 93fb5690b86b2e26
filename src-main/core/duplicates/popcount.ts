// Bit counting for 64-bit hashes held as two uint32 words (bigint is far too slow in the hot loops).

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Both words are reduced to per-byte counts side by side and summed with one multiply (sums stay below 256). */
export function hamming64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  let x = (aHi ^ bHi) >>> 0;
  let y = (aLo ^ bLo) >>> 0;
  x = x - ((x >>> 1) & 0x55555555);
  y = y - ((y >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
  const bytes = ((x + (x >>> 4)) & 0x0f0f0f0f) + ((y + (y >>> 4)) & 0x0f0f0f0f);
  return Math.imul(bytes, 0x01010101) >>> 24;
}

/** A 16-hex-digit hash as (hi, lo) words; hi = the first 8 digits. */
export function parseHexHash(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0];
}
