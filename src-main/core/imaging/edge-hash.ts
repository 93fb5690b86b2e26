// The edge hash (fingerprint v5, issue 19): a second 64-bit hash of every picture a fingerprint hashes, the pHash
// of its gradient magnitude. The pHash alone says two pictures share a coarse layout of tones, and fungal
// photography is full of pale caps on dark litter: ~1,300-2,500 per 1M pairs of a copy and another species' photo
// had some hash pair within the threshold. The edge hash reads where the edges and texture are in the same window,
// so a hash pair becomes a 128-bit key (pHash + edge hash) with one threshold (fingerprint-distance.ts). Chosen on
// the tune half among six designs by `npm run bench:duplicates -- --candidate-rules` (README, issue 19 part 2).
import { hashFromDctBlock, lowFrequencyDct, PHASH_INPUT_SIZE } from './perceptual-hash';

/** Side of the window picture the edge hash reads: its gradient is taken at twice the pHash's resolution. */
export const EDGE_INPUT_SIZE = 2 * PHASH_INPUT_SIZE;

/** The edge hash of one window's EDGE_INPUT_SIZE grey picture, as (hi, lo) words. */
export function edgeHash(fine: Float64Array): Uint32Array {
  return wordsOfHex(hashFromDctBlock(lowFrequencyDct(edgePicture(fine))));
}

/**
 * The edge hashes of the whole picture under the 8 flips and quarter turns, in fingerprint.ts's dihedralDctBlocks
 * order, as 8 (hi, lo) pairs. The gradient magnitude commutes with those transforms (central differences are
 * symmetric), so the edge picture is computed once and transformed.
 */
export function dihedralEdgeHashes(fine: Float64Array): Uint32Array {
  const out = new Uint32Array(16);
  dihedralPictures(edgePicture(fine), PHASH_INPUT_SIZE).forEach((edges, i) =>
    out.set(wordsOfHex(hashFromDctBlock(lowFrequencyDct(edges))), 2 * i),
  );
  return out;
}

/** Gradient magnitude (central differences, edges clamped) of an EDGE_INPUT_SIZE picture, box-halved to pHash's size. */
function edgePicture(picture: Float64Array): Float64Array {
  const n = EDGE_INPUT_SIZE;
  if (picture.length !== n * n) throw new Error(`the edge hash needs ${n}x${n} grey pixels, got ${picture.length}`);
  const m = n / 2;
  const half = new Float64Array(m * m);
  // Plain loops and sqrt rather than clamping closures and Math.hypot: this runs 41 times per image at ingest.
  for (let y = 0; y < n; y++) {
    const up = (y > 0 ? y - 1 : 0) * n;
    const down = (y < n - 1 ? y + 1 : n - 1) * n;
    const row = y * n;
    for (let x = 0; x < n; x++) {
      const dx = picture[row + (x < n - 1 ? x + 1 : n - 1)]! - picture[row + (x > 0 ? x - 1 : 0)]!;
      const dy = picture[down + x]! - picture[up + x]!;
      half[(y >> 1) * m + (x >> 1)]! += Math.sqrt(dx * dx + dy * dy) / 4;
    }
  }
  return half;
}

/** An n x n picture under the 8 dihedral transforms: as stored, mirrored, then a quarter turn = transpose, mirror. */
export function dihedralPictures(picture: Float64Array, n: number): Float64Array[] {
  const mirror = (g: Float64Array) => g.map((_, i) => g[Math.floor(i / n) * n + (n - 1 - (i % n))]!);
  const transpose = (g: Float64Array) => g.map((_, i) => g[(i % n) * n + Math.floor(i / n)]!);
  const out: Float64Array[] = [];
  let current = picture;
  for (let turn = 0; turn < 4; turn++) {
    out.push(current, mirror(current));
    current = mirror(transpose(current));
  }
  return out;
}

function wordsOfHex(hex: string): Uint32Array {
  return Uint32Array.of(parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0);
}
