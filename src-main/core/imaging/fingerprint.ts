// Near-duplicate fingerprints computed at ingest from the decoded derivative ladder (no second decode).
// Version 2 holds three things, so that one stored blob answers every duplicate question:
//  - a digest of the decoded pixels: the same picture in another encoding (PNG vs lossless WebP) is exact;
//  - the pHash of the whole image under all 8 flips/rotations, derived from one DCT (flipping negates odd
//    horizontal frequencies; a quarter turn transposes the block), so rotated and mirrored copies match;
//  - pHashes of sub-regions (centred crops at several scales, square windows along the long edge), so a
//    cropped copy or a square thumbnail matches the region of the original it was cut from;
//  - pHashes of windows synthesised for edited copies (turned windows for straightened copies, the picture with a
//    caption band painted in), after the regions (edited-copy-windows.ts);
//  - version 5: beside every pHash, the edge hash of the same picture (edge-hash.ts), so a hash pair is a 128-bit
//    key and chance look-alikes of the coarse layout fall away; and hashes of off-centre windows
//    (off-centre-windows.ts), after the coefficients, hashes only: a pair found through them is decided by the
//    content check alone, so no DCT correlation or edge hash is ever read for them.
import { createHash } from 'node:crypto';
import type { DerivativeSize } from '../../../src-shared/defaults';
import type { RawImage } from './derivatives';
import { hashFromDctBlock, lowFrequencyDct, PHASH_INPUT_SIZE } from './perceptual-hash';
import { dihedralEdgeHashes, edgeHash, EDGE_INPUT_SIZE } from './edge-hash';
import { editedCopyTargets, EDITED_COPY_WINDOWS } from './edited-copy-windows';
import { lumaIntegral, resampleRegion, type Region } from './grey-resample';
import { OFF_CENTRE_WINDOWS, offCentreRegions } from './off-centre-windows';

export const FINGERPRINT_VERSION = 5;
const BLOCK = 8;
/** Centred crops, as a fraction of each side: a copy cropped by 5-20% per edge is one of these regions. */
const CENTRE_FRACTIONS = [0.9, 0.8, 0.7, 0.6] as const;
/**
 * One-sided cuts: one edge, or two adjacent edges (a corner), trimmed by 10% or 20% while the rest of the frame
 * stays. Matches through these windows must correlate more strongly (see MIN_SIDE_CROP_CORRELATION): there are
 * many of them, and each extra window is another chance for two different photos to look alike.
 */
const SIDE_TRIMS = [0.1, 0.2] as const;
const TRIMMED_SIDES: readonly (readonly [number, number, number, number])[] = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
  [1, 1, 0, 0],
  [0, 1, 1, 0],
  [0, 0, 1, 1],
  [1, 0, 0, 1],
];
/**
 * Region order in a fingerprint: centred crops, then one-sided cuts, then square windows (if any), then the
 * EDITED_COPY_WINDOWS synthesised targets (the last ones of every fingerprint).
 */
export const SIDE_REGIONS = {
  start: CENTRE_FRACTIONS.length,
  end: CENTRE_FRACTIONS.length + SIDE_TRIMS.length * TRIMMED_SIDES.length,
} as const;
/** Where square windows sit along the long edge (0 = start, 1 = end): square thumbnails are cut anywhere. */
const SQUARE_POSITIONS = [0, 0.25, 0.5, 0.75, 1] as const;
/** Below this aspect ratio a square window is the whole image again. */
const MIN_ASPECT_FOR_SQUARES = 1.08;
const HEADER_BYTES = 2 + 16;

/** A parsed fingerprint; every 64-bit hash is held as a (hi, lo) pair of uint32 for fast popcounts. */
export interface Fingerprint {
  /** Digest of the decoded pixels, hex; null when unknown (fingerprints upgraded from a stored derivative). */
  pixelDigest: string | null;
  /** 8 hashes x 2 words: the whole image under the dihedral transforms; [0,1] is the image as stored. */
  dihedral: Uint32Array;
  /** Region hashes x 2 words, in the stored orientation. */
  regions: Uint32Array;
  /** Low-frequency DCT blocks (64 values, DC zeroed, scaled to int8) of the whole image then of each region. */
  coefficients: Int8Array;
  /** Edge hashes x 2 words, of the same pictures as the pHashes: the 8 of `dihedral`, then one per region. */
  edges: Uint32Array;
  /** OFF_CENTRE_WINDOWS hashes x 2 words, in the stored orientation: targets for the content check alone. */
  offCentre: Uint32Array;
}

export function computeFingerprint(ladder: Record<DerivativeSize, RawImage>): Uint8Array {
  // The first 128 bits of SHA-1 over the decode (`large` is the decode itself up to 1280 px): SHA-1 hashes the
  // few megabytes about four times faster than MD5 here, and this is an identity check, not a security boundary.
  const digest = createHash('sha1')
    .update(`${ladder.large.width}x${ladder.large.height}x${ladder.large.channels}:`)
    .update(ladder.large.data)
    .digest();
  return fingerprintFromImage(ladder.small, digest);
}

/** The fingerprint of a (small) rendition; `pixelDigest` is all zeros when the decoded original is not at hand. */
export function fingerprintFromImage(small: RawImage, pixelDigest: Uint8Array = new Uint8Array(16)): Uint8Array {
  const luma = lumaIntegral(small);
  const { whole: wholeGrey, targets: pictures } = targetPictures(small, PHASH_INPUT_SIZE, luma);
  const fine = targetPictures(small, EDGE_INPUT_SIZE, luma);
  const whole = lowFrequencyDct(wholeGrey);
  const offCentre = offCentreRegions(small.width, small.height).map((region) =>
    hashFromDctBlock(lowFrequencyDct(resampleRegion(luma, region, PHASH_INPUT_SIZE, PHASH_INPUT_SIZE))),
  );
  const edgesAt = HEADER_BYTES + 64 + pictures.length * 8;
  const coefficientsAt = edgesAt + (8 + pictures.length) * 8;
  const offCentreAt = coefficientsAt + (1 + pictures.length) * 64;
  const out = new Uint8Array(offCentreAt + offCentre.length * 8);
  out.set(wordBytes(dihedralEdgeHashes(fine.whole)), edgesAt);
  fine.targets.forEach((picture, i) => out.set(wordBytes(edgeHash(picture)), edgesAt + (8 + i) * 8));
  out.set(quantiseBlock(whole), coefficientsAt);
  out[0] = FINGERPRINT_VERSION;
  out[1] = pictures.length;
  out.set(pixelDigest.subarray(0, 16), 2);
  dihedralDctBlocks(whole).forEach((block, i) => out.set(hexToBytes(hashFromDctBlock(block)), HEADER_BYTES + i * 8));
  pictures.forEach((picture, i) => {
    const block = lowFrequencyDct(picture);
    out.set(hexToBytes(hashFromDctBlock(block)), HEADER_BYTES + 64 + i * 8);
    out.set(quantiseBlock(block), coefficientsAt + (i + 1) * 64);
  });
  offCentre.forEach((hash, i) => out.set(hexToBytes(hash), offCentreAt + i * 8));
  return out;
}

/**
 * The side x side grey pictures a fingerprint hashes: the whole image, and every target window in fingerprint
 * order (regions, then edited-copy windows). Exported so every hash of a target reads the same window.
 */
export function targetPictures(
  small: RawImage,
  side: number,
  luma = lumaIntegral(small),
): { whole: Float64Array; targets: Float64Array[] } {
  const whole = resampleRegion(luma, fullRegion(small), side, side);
  const targets = [
    ...fingerprintRegions(small.width, small.height).map((region) => resampleRegion(luma, region, side, side)),
    ...editedCopyTargets(luma, whole, side, side),
  ];
  return { whole, targets };
}

/** The plain 64-bit pHash (upright, whole image) held in a fingerprint, as the catalogue's 16 hex chars. */
export function perceptualHashOf(fingerprint: Uint8Array): string {
  return Buffer.from(fingerprint.subarray(HEADER_BYTES, HEADER_BYTES + 8)).toString('hex');
}

export function fingerprintRegions(width: number, height: number): Region[] {
  const regions: Region[] = CENTRE_FRACTIONS.map((f) => {
    const w = Math.max(1, Math.round(width * f));
    const h = Math.max(1, Math.round(height * f));
    return { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
  });
  for (const trim of SIDE_TRIMS) {
    for (const [left, top, right, bottom] of TRIMMED_SIDES) {
      const x0 = Math.round(width * trim * left);
      const y0 = Math.round(height * trim * top);
      const x1 = width - Math.round(width * trim * right);
      const y1 = height - Math.round(height * trim * bottom);
      regions.push({ left: x0, top: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) });
    }
  }
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  if (long / short >= MIN_ASPECT_FOR_SQUARES) {
    for (const p of SQUARE_POSITIONS) {
      const offset = Math.round(p * (long - short));
      regions.push(
        width >= height ? { left: offset, top: 0, width: short, height: short } : { left: 0, top: offset, width: short, height: short },
      );
    }
  }
  return regions;
}

/** Reads a stored fingerprint; null for an older version (to be recomputed) or a damaged blob. */
export function parseFingerprint(blob: Uint8Array | null | undefined): Fingerprint | null {
  if (!blob || blob.length < HEADER_BYTES + 64 || blob[0] !== FINGERPRINT_VERSION) return null;
  const regionCount = blob[1]!;
  if (regionCount < EDITED_COPY_WINDOWS) return null;
  const edgesAt = HEADER_BYTES + 64 + regionCount * 8;
  const coefficientsAt = edgesAt + (8 + regionCount) * 8;
  const offCentreAt = coefficientsAt + (1 + regionCount) * 64;
  if (blob.length !== offCentreAt + OFF_CENTRE_WINDOWS * 8) return null;
  const digest = blob.subarray(2, HEADER_BYTES);
  const words = (start: number, count: number) => {
    const out = new Uint32Array(count * 2);
    for (let i = 0; i < count * 2; i++) {
      const o = start + i * 4;
      out[i] = ((blob[o]! << 24) | (blob[o + 1]! << 16) | (blob[o + 2]! << 8) | blob[o + 3]!) >>> 0;
    }
    return out;
  };
  return {
    pixelDigest: digest.every((b) => b === 0) ? null : Buffer.from(digest).toString('hex'),
    dihedral: words(HEADER_BYTES, 8),
    regions: words(HEADER_BYTES + 64, regionCount),
    coefficients: new Int8Array(blob.buffer.slice(blob.byteOffset + coefficientsAt, blob.byteOffset + offCentreAt)),
    edges: words(edgesAt, 8 + regionCount),
    offCentre: words(offCentreAt, OFF_CENTRE_WINDOWS),
  };
}

/** The 8x8 low-frequency DCT block of the image under each of the 8 dihedral transforms. */
export function dihedralDctBlocks(block: Float64Array): Float64Array[] {
  const flipX = (b: Float64Array) => b.map((value, i) => ((i % BLOCK) % 2 ? -value : value));
  const transpose = (b: Float64Array) => b.map((_, i) => b[(i % BLOCK) * BLOCK + Math.floor(i / BLOCK)]!);
  const out: Float64Array[] = [];
  let current = block;
  for (let turn = 0; turn < 4; turn++) {
    out.push(current, flipX(current));
    current = flipX(transpose(current)); // a quarter turn = transpose then mirror
  }
  return out;
}

/** The AC coefficients scaled so the largest is +-127: correlation ignores scale, and contrast only scales them. */
function quantiseBlock(block: Float64Array): Int8Array {
  let max = 0;
  for (let i = 1; i < block.length; i++) max = Math.max(max, Math.abs(block[i]!));
  const out = new Int8Array(64);
  if (max === 0) return out;
  for (let i = 1; i < block.length; i++) out[i] = Math.round((block[i]! / max) * 127);
  return out;
}

function fullRegion(image: RawImage): Region {
  return { left: 0, top: 0, width: image.width, height: image.height };
}

/** Words as big-endian bytes, the order parseFingerprint reads them in. */
function wordBytes(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  words.forEach((w, i) => out.set([w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255], i * 4));
  return out;
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
