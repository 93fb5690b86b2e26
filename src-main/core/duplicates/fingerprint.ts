// Near-duplicate fingerprints computed at ingest from the decoded derivative ladder (no second decode).
// Version 1: the pHash of the image under all 8 flips/rotations, derived from one DCT (flipping negates
// odd horizontal frequencies; a quarter turn transposes the block), so rotated and mirrored copies match.
import type { DerivativeSize } from '../../../src-shared/defaults';
import type { RawImage } from '../imaging/derivatives';
import { hashFromDctBlock, lowFrequencyDct, PHASH_INPUT_SIZE } from '../imaging/perceptual-hash';
import { resizeGreySync } from './grey-resample';

export const FINGERPRINT_VERSION = 1;
const BLOCK = 8;

export function computeFingerprint(ladder: Record<DerivativeSize, RawImage>): Uint8Array {
  const grey = resizeGreySync(ladder.small, PHASH_INPUT_SIZE, PHASH_INPUT_SIZE);
  const dct = lowFrequencyDct(grey);
  const out = new Uint8Array(8 * 8);
  dihedralDctBlocks(dct).forEach((block, i) => out.set(hexToBytes(hashFromDctBlock(block)), i * 8));
  return out;
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

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
