// Which pairs reach the content check although no hash pair is within the threshold: the candidate rule's wide
// gates. Each is a hash comparison cheap enough to join over a whole library; a pair that passes only through one
// of them is decided by the content check alone (no hash bypass, no DCT-only fallback), since its hashes say
// nothing finer than "maybe". Chosen on speciesOfHalf('tune') with bench:duplicates (see defaults.ts).
import { DEFAULT_DUPLICATE_THRESHOLD, UPRIGHT_WHOLE_MARGIN } from '../../../src-shared/defaults';
import type { Fingerprint } from '../imaging/fingerprint';
import { wholePictureDistance } from './fingerprint-distance';
import { hamming64 } from './popcount';

/** Why a pair past the threshold is still a candidate. */
export type ContentOnlyGate = 'whole-margin' | 'upright-whole' | 'off-centre';

/** The wide gates in force; a margin of 0 turns its gate off. */
export interface CandidateGates {
  /** Bits past the threshold within which whole pictures (any flip or quarter turn of one) are candidates. */
  wholeMargin: number;
  /** Bits past the threshold within which the two upright whole pictures are candidates (overlaid copies). */
  uprightMargin: number;
  /** Whether one's upright picture within the threshold of the other's off-centre windows makes a candidate. */
  offCentre: boolean;
}

export const NO_WIDE_GATES: CandidateGates = { wholeMargin: 0, uprightMargin: 0, offCentre: false };

/**
 * The gates in force at `threshold`: margins in proportion to the default threshold (none at 0, so a strict slider
 * stays strict). The flips' margin of v4 (WHOLE_PICTURE_MARGIN) is off: on the tune half it found no copy the
 * upright margin and the off-centre windows miss, and it is the dearest of the three joins (bench:duplicates
 * prints every combination with its join cost).
 */
export function candidateGates(threshold: number): CandidateGates {
  return {
    wholeMargin: 0,
    uprightMargin: Math.round((UPRIGHT_WHOLE_MARGIN * threshold) / DEFAULT_DUPLICATE_THRESHOLD),
    offCentre: threshold > 0,
  };
}

/** Bits between the two pictures as stored (no flip): the hash an overlaid copy keeps closest. */
export function uprightWholeDistance(a: Fingerprint, b: Fingerprint): number {
  return hamming64(a.dihedral[0]!, a.dihedral[1]!, b.dihedral[0]!, b.dihedral[1]!);
}

/** The smallest distance from either upright picture to an off-centre window of the other. */
export function offCentreDistance(a: Fingerprint, b: Fingerprint): number {
  let best = 64;
  for (const [copy, original] of [
    [a, b],
    [b, a],
  ] as const) {
    const w = original.offCentre;
    for (let k = 0; k < w.length; k += 2) best = Math.min(best, hamming64(copy.dihedral[0]!, copy.dihedral[1]!, w[k]!, w[k + 1]!));
  }
  return best;
}

/** The first wide gate the pair passes at `threshold`, or null: then only a hash pair within the threshold makes it a candidate. */
export function contentOnlyGate(
  a: Fingerprint,
  b: Fingerprint,
  threshold: number,
  gates = candidateGates(threshold),
): ContentOnlyGate | null {
  if (gates.wholeMargin > 0 && wholePictureDistance(a, b) <= threshold + gates.wholeMargin) return 'whole-margin';
  if (gates.offCentre && offCentreDistance(a, b) <= threshold) return 'off-centre';
  if (gates.uprightMargin > 0 && uprightWholeDistance(a, b) <= threshold + gates.uprightMargin) return 'upright-whole';
  return null;
}
