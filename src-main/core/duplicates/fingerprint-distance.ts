// Distance between two fingerprints: the smallest pHash distance under the transformations a copy may have had,
// confirmed by the correlation of the underlying DCT coefficients.
import {
  DEFAULT_DUPLICATE_THRESHOLD,
  EDGE_KEY_THRESHOLD,
  MIN_DUPLICATE_CORRELATION,
  MIN_SIDE_CROP_CORRELATION,
  WHOLE_PICTURE_MARGIN,
} from '../../../src-shared/defaults';
import { EDITED_COPY_WINDOWS } from '../imaging/edited-copy-windows';
import { dihedralDctBlocks, SIDE_REGIONS, type Fingerprint } from '../imaging/fingerprint';
import { hamming64 } from './popcount';

/** `edited-window`: through a window synthesised for an edited copy (turned, captioned; edited-copy-windows.ts). */
export type MatchKind = 'pixels' | 'whole' | 'region' | 'side-region' | 'edited-window';

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
  return fingerprintMatches(a, b)[0];
}

/**
 * The best match through the whole image, centred crops and square windows, and the best match through the
 * one-sided cuts, which a caller may hold to a stricter correlation.
 */
export function fingerprintMatches(a: Fingerprint, b: Fingerprint): [FingerprintMatch, FingerprintMatch] {
  if (a.pixelDigest !== null && a.pixelDigest === b.pixelDigest) {
    const same: FingerprintMatch = { distance: 0, kind: 'pixels', correlation: 1 };
    return [same, same];
  }
  // Windows synthesised for edited copies (turned, captioned) are extra chances for a look-alike, like the
  // one-sided cuts: they are held to the same stricter correlation.
  const isSide = (block: number, original: Fingerprint) =>
    (block - 1 >= SIDE_REGIONS.start && block - 1 < SIDE_REGIONS.end) || isEditedWindow(block, original);
  return [bestMatch(a, b, (block, original) => !isSide(block, original)), bestMatch(a, b, isSide)];
}

/** Bits past `threshold` within which whole pictures are still candidates: WHOLE_PICTURE_MARGIN at the default. */
export function wholePictureMargin(threshold: number): number {
  return Math.round((WHOLE_PICTURE_MARGIN * threshold) / DEFAULT_DUPLICATE_THRESHOLD);
}

/**
 * The smallest distance between the whole pictures alone (either one under any flip or quarter turn against the
 * other as stored), ignoring regions: the hash a candidate found through WHOLE_PICTURE_MARGIN is within.
 */
export function wholePictureDistance(a: Fingerprint, b: Fingerprint): number {
  let best = 64;
  for (const [copy, original] of [
    [a, b],
    [b, a],
  ] as const)
    for (let j = 0; j < 8; j++)
      best = Math.min(best, hamming64(copy.dihedral[2 * j]!, copy.dihedral[2 * j + 1]!, original.dihedral[0]!, original.dihedral[1]!));
  return best;
}

/** Bits of the 128-bit key (pHash + edge hash) a candidate hash pair may differ by: EDGE_KEY_THRESHOLD at the default. */
export function edgeKeyThreshold(threshold: number): number {
  return Math.round((EDGE_KEY_THRESHOLD * threshold) / DEFAULT_DUPLICATE_THRESHOLD);
}

/**
 * Whether some hash pair is within edgeKeyThreshold on pHash and edge hash together (whole pictures within
 * wholePictureMargin more), whichever pair the candidate search found the two images by. Both hashes of a pair read
 * the same window, so a copy keeps both close while a look-alike of the coarse layout rarely has its edges where the
 * other's are. Any pair, not only one within the threshold: two off-centre crops on eval were found by a pHash pair
 * within it whose edges differ, and are within the key through another window.
 */
export function edgeKeyAgrees(a: Fingerprint, b: Fingerprint, threshold: number): boolean {
  const margin = wholePictureMargin(threshold);
  const key = edgeKeyThreshold(threshold);
  return someHashPair(a, b, (copy, j, original, k) => {
    const at = k < 0 ? 0 : 2 * k;
    const target = k < 0 ? original.dihedral : original.regions;
    const d = hamming64(copy.dihedral[2 * j]!, copy.dihedral[2 * j + 1]!, target[at]!, target[at + 1]!);
    const edgeAt = k < 0 ? 0 : 16 + 2 * k;
    const e = hamming64(copy.edges[2 * j]!, copy.edges[2 * j + 1]!, original.edges[edgeAt]!, original.edges[edgeAt + 1]!);
    return d + e <= key + (k < 0 ? margin : 0);
  });
}

/**
 * Whether `test` holds for some hash pair the candidate search compares: either image's flip/quarter turn j against
 * the other's whole picture (k = -1) or its region k, both ways round.
 */
export function someHashPair(
  a: Fingerprint,
  b: Fingerprint,
  test: (copy: Fingerprint, j: number, original: Fingerprint, k: number) => boolean,
): boolean {
  for (const [copy, original] of [
    [a, b],
    [b, a],
  ] as const) {
    const regions = original.regions.length / 2;
    for (let j = 0; j < 8; j++) for (let k = -1; k < regions; k++) if (test(copy, j, original, k)) return true;
  }
  return false;
}

/** A match is a duplicate when its hashes are within the threshold and the DCT coefficients behind them agree. */
export function isDuplicateMatch(match: FingerprintMatch, threshold: number): boolean {
  if (match.kind === 'pixels') return true;
  const strict = match.kind === 'side-region' || match.kind === 'edited-window';
  const minCorrelation = strict ? MIN_SIDE_CROP_CORRELATION : MIN_DUPLICATE_CORRELATION;
  return match.distance <= threshold && match.correlation >= minCorrelation;
}

/** The accepted match between two fingerprints (the closer one when both kinds pass), or null. */
export function verifiedMatch(a: Fingerprint, b: Fingerprint, threshold: number): FingerprintMatch | null {
  const accepted = fingerprintMatches(a, b).filter((m) => isDuplicateMatch(m, threshold));
  if (accepted.length === 0) return null;
  return accepted.reduce((x, y) => (y.distance < x.distance ? y : x));
}

/** Block k > 0 is region k - 1 of `original`; the edited-copy windows are its last regions. */
function isEditedWindow(block: number, original: Fingerprint): boolean {
  return block > 0 && block - 1 >= original.regions.length / 2 - EDITED_COPY_WINDOWS;
}

function bestMatch(a: Fingerprint, b: Fingerprint, include: (block: number, original: Fingerprint) => boolean): FingerprintMatch {
  let best = 65;
  let ties: Pair[] = [];
  const consider = (distance: number, pair: Pair) => {
    if (!include(pair.block, pair.original)) return;
    if (distance < best) {
      best = distance;
      ties = [pair];
    } else if (distance === best) ties.push(pair);
  };
  for (const [copy, original] of [
    [a, b],
    [b, a],
  ] as const) {
    // Whole against whole both ways: a hash of a flipped block is not the flipped hash (the median moves), so
    // flipping only the first argument made the distance depend on argument order.
    for (let j = 0; j < 8; j++)
      consider(hamming64(copy.dihedral[2 * j]!, copy.dihedral[2 * j + 1]!, original.dihedral[0]!, original.dihedral[1]!), {
        copy,
        transform: j,
        original,
        block: 0,
      });
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
  if (ties.length === 0) return { distance: 64, kind: 'side-region', correlation: 0 };
  const correlation = Math.max(...ties.map(pairCorrelation));
  const kind = ties.some((t) => t.block === 0)
    ? 'whole'
    : include(0, a)
      ? 'region'
      : ties.every((t) => isEditedWindow(t.block, t.original))
        ? 'edited-window'
        : 'side-region';
  return { distance: best, kind, correlation };
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
