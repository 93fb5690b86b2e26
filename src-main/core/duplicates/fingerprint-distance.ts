// Distance between two fingerprints: the smallest pHash distance under the transformations a copy may have had,
// confirmed by the correlation of the underlying DCT coefficients.
import { dihedralDctBlocks, type Fingerprint } from './fingerprint';
import { hamming64 } from './popcount';

export type MatchKind = 'pixels' | 'whole' | 'region';

export interface FingerprintMatch {
  /** Hamming distance of the best-matching pair of 64-bit hashes (0 for identical pixels). */
  distance: number;
  kind: MatchKind;
  /** Pearson correlation of the AC coefficients behind that pair (1 for identical pixels). */
  correlation: number;
}

interface Pair {
  copy: Fingerprint;
  transform: number;
  original: Fingerprint;
  /** 0 = the whole original, k > 0 = its region k - 1. */
  block: number;
}

/**
 * Same decoded pixels is distance 0. Otherwise the whole of one image (under any flip/rotation) is compared with
 * the whole of the other, and with each region of the other (a crop or square thumbnail of it), both ways.
 * Regions are never compared with regions: two photos of one subject often share a similar centre, while a
 * copy always contains the whole of the smaller picture.
 */
export function fingerprintDistance(a: Fingerprint, b: Fingerprint): FingerprintMatch {
  if (a.pixelDigest !== null && a.pixelDigest === b.pixelDigest) return { distance: 0, kind: 'pixels', correlation: 1 };
  let best = 65;
  let ties: Pair[] = [];
  const consider = (distance: number, pair: Pair) => {
    if (distance < best) {
      best = distance;
      ties = [pair];
    } else if (distance === best) ties.push(pair);
  };
  for (let j = 0; j < 8; j++)
    consider(hamming64(a.dihedral[2 * j]!, a.dihedral[2 * j + 1]!, b.dihedral[0]!, b.dihedral[1]!), {
      copy: a,
      transform: j,
      original: b,
      block: 0,
    });
  for (const [copy, original] of [
    [a, b],
    [b, a],
  ] as const) {
    const r = original.regions;
    for (let k = 0; k < r.length; k += 2)
      for (let j = 0; j < 8; j++)
        consider(hamming64(copy.dihedral[2 * j]!, copy.dihedral[2 * j + 1]!, r[k]!, r[k + 1]!), {
          copy,
          transform: j,
          original,
          block: k / 2 + 1,
        });
  }
  const correlation = Math.max(...ties.map(pairCorrelation));
  return { distance: best, kind: ties.some((t) => t.block === 0) ? 'whole' : 'region', correlation };
}

function pairCorrelation(pair: Pair): number {
  const copyBlock = Float64Array.from(pair.copy.coefficients.subarray(0, 64));
  const transformed = dihedralDctBlocks(copyBlock)[pair.transform]!;
  const other = pair.original.coefficients.subarray(pair.block * 64, pair.block * 64 + 64);
  return correlation(transformed, other);
}

function correlation(x: Float64Array, y: Int8Array): number {
  let sx = 0;
  let sy = 0;
  for (let i = 1; i < 64; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / 63;
  const my = sy / 63;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 1; i < 64; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
