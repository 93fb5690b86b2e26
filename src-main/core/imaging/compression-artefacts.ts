// Blockiness of block-transform compression (JPEG's 8x8 grid): the excess of pixel steps on one grid phase.
import type { GreyImage } from './quality';

/** JPEG's DCT block size; WebP's 4x4 and 16x16 blocks fall on the same phases. */
const BLOCK = 8;

/**
 * Relative excess of the mean absolute step between neighbouring pixels on the strongest of the 8 column (and
 * row) phases over the mean of the other phases: ~0 for a clean photo (steps fall evenly on every phase), 0.5
 * to 3 for heavy JPEG (flat blocks inside, steps at their borders). Phase-free, so it holds after flips,
 * EXIF rotations and crops that shift the grid. Measured on the decoded image at its own resolution: once
 * scaled, the grid no longer falls on whole pixels and this reads ~0 (by then the blocks are also smaller).
 */
export function measureBlockiness(grey: GreyImage): number {
  const { data, width, height } = grey;
  if (width < 4 * BLOCK || height < 4 * BLOCK) return 0;
  const columnSteps = new Float64Array(BLOCK);
  const rowSteps = new Float64Array(BLOCK);
  for (let y = 0; y < height - 1; y++) {
    const row = y * width;
    const rowPhase = y % BLOCK;
    for (let x = 0; x < width - 1; x++) {
      const v = data[row + x]!;
      columnSteps[x % BLOCK]! += Math.abs(data[row + x + 1]! - v);
      rowSteps[rowPhase]! += Math.abs(data[row + width + x]! - v);
    }
  }
  return (phaseExcess(columnSteps) + phaseExcess(rowSteps)) / 2;
}

function phaseExcess(steps: Float64Array): number {
  let strongest = 0;
  let total = 0;
  for (let i = 0; i < steps.length; i++) {
    total += steps[i]!;
    if (steps[i]! > steps[strongest]!) strongest = i;
  }
  const others = (total - steps[strongest]!) / (steps.length - 1);
  // A flat image has no steps at all and reads as clean (0), not as 0/0.
  return others > 0 ? (steps[strongest]! - others) / others : 0;
}
