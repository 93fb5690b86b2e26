// Hash targets for off-centre crops (fingerprint v5): a copy cut to 70-80 % of the area anywhere in the frame, at a
// slightly different aspect, falls between the centred crops and the one-sided cuts, whose hashes stay more than
// 10 bits away. Windows of 80 x 92 %, 92 x 80 % and 84 x 84 % of the sides, at the frame's corners, edge midpoints
// and quarter points, meet such a copy's whole picture. They are held apart from the regions: a pair found only
// through one of them is decided by the content check alone (duplicates/content-only-gate.ts), and only the copy's
// upright picture is compared with them, so they cost 36 hash pairs per image pair in the join, not 8 x 36.
import type { Region } from './grey-resample';

/**
 * Window sides as fractions of (width, height): a wide, a tall and a square-cut window, so a crop that also changes
 * the aspect is met. Chosen on speciesOfHalf('tune') from a grid of sides 0.76-1 and positions in quarters (300
 * off-centre crops of 20-30 %, 6 per photo, upright hash within 10 of a window): of the 41 copies the content check
 * accepts but no v4 target reaches, the wide and tall windows at these 12 positions reach 39, the square ones add
 * the other 2; the 36 windows bring 1 of 9,702 ordered pairs of distinct photos within 10 (0.84 x 0.84 alone at
 * these positions: 27 of 41).
 */
export const OFF_CENTRE_SHAPES: readonly (readonly [number, number])[] = [
  [0.8, 0.92],
  [0.92, 0.8],
  [0.84, 0.84],
];
/**
 * Where a window sits in the slack the frame leaves it (0 = left/top edge, 1 = right/bottom): the 3 x 3 grid
 * without its centre (the centred crops cover that) and the four quarter points between the centre and the corners.
 */
export const OFF_CENTRE_POSITIONS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.5, 0],
  [1, 0],
  [0, 0.5],
  [1, 0.5],
  [0, 1],
  [0.5, 1],
  [1, 1],
  [0.25, 0.25],
  [0.75, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
];
export const OFF_CENTRE_WINDOWS = OFF_CENTRE_SHAPES.length * OFF_CENTRE_POSITIONS.length;

/** The OFF_CENTRE_WINDOWS regions of a width x height picture, shape by shape, each in OFF_CENTRE_POSITIONS order. */
export function offCentreRegions(width: number, height: number): Region[] {
  return OFF_CENTRE_SHAPES.flatMap(([fw, fh]) => {
    const w = Math.max(1, Math.round(width * fw));
    const h = Math.max(1, Math.round(height * fh));
    return OFF_CENTRE_POSITIONS.map(([px, py]) => ({
      left: Math.round((width - w) * px),
      top: Math.round((height - h) * py),
      width: w,
      height: h,
    }));
  });
}
