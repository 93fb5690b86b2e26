// Which pairs reach the content check although no hash pair is within the threshold: the candidate rule's wide
// gates. Each is a hash comparison cheap enough to join over a whole library; a pair that passes only through one
// of them is decided by the content check alone (no hash bypass, no DCT-only fallback), since its hashes say
// nothing finer than "maybe". Chosen on speciesOfHalf('tune') with bench:duplicates (see defaults.ts).
import { DEFAULT_DUPLICATE_THRESHOLD, UPRIGHT_KEY_THRESHOLD, UPRIGHT_WHOLE_MARGIN } from '../../../src-shared/defaults';
import type { Fingerprint } from '../imaging/fingerprint';
import { wholePictureDistance } from './fingerprint-distance';
import type { HashColumns } from './hamming-join';
import type { ImagePairs } from './image-pair-join';
import { hamming64 } from './popcount';

/** Why a pair past the threshold is still a candidate. */
export type ContentOnlyGate = 'whole-margin' | 'upright-whole' | 'off-centre';

/** The wide gates in force; a margin of 0 turns its gate off. */
export interface CandidateGates {
  /** Bits past the threshold within which whole pictures (any flip or quarter turn of one) are candidates. */
  wholeMargin: number;
  /** Bits past the threshold within which the two upright whole pictures are candidates (overlaid copies). */
  uprightMargin: number;
  /**
   * Bits the upright pictures' 128-bit key (pHash + edge hash) may differ by for the upright gate; UPRIGHT_KEY_OFF: no
   * bound (the pHash margin alone decides).
   */
  uprightKey: number;
  /** Whether one's upright picture within the threshold of the other's off-centre windows makes a candidate. */
  offCentre: boolean;
}

/** An upright key this wide bounds nothing: two 64-bit hashes differ by at most 128 bits together. */
export const UPRIGHT_KEY_OFF = 128;

export const NO_WIDE_GATES: CandidateGates = { wholeMargin: 0, uprightMargin: 0, uprightKey: UPRIGHT_KEY_OFF, offCentre: false };

/**
 * The gates in force at `threshold`: margins in proportion to the default threshold (none at 0, so a strict slider
 * stays strict). The flips' margin of v4 (WHOLE_PICTURE_MARGIN) is off: on the tune half it found no copy the
 * upright margin and the off-centre windows miss, and it is the dearest of the three joins (bench:duplicates
 * prints every combination with its join cost). The upright margin's pairs must be within the upright key too
 * (UPRIGHT_KEY_THRESHOLD, issue 19/14): at 30k real-fingerprint views the margin alone brought 93,847 pairs no other
 * gate brings, ~1 ms of content check each, and all but 747 of them are past the key.
 */
export function candidateGates(threshold: number): CandidateGates {
  return {
    wholeMargin: 0,
    uprightMargin: Math.round((UPRIGHT_WHOLE_MARGIN * threshold) / DEFAULT_DUPLICATE_THRESHOLD),
    uprightKey: Math.round((UPRIGHT_KEY_THRESHOLD * threshold) / DEFAULT_DUPLICATE_THRESHOLD),
    offCentre: threshold > 0,
  };
}

/** Bits between the two pictures as stored (no flip): the hash an overlaid copy keeps closest. */
export function uprightWholeDistance(a: Fingerprint, b: Fingerprint): number {
  return hamming64(a.dihedral[0]!, a.dihedral[1]!, b.dihedral[0]!, b.dihedral[1]!);
}

/** Bits between the two upright pictures' edge hashes (Fingerprint.edges words 0-1: the edge hash of dihedral[0]). */
export function uprightEdgeDistance(a: Fingerprint, b: Fingerprint): number {
  return hamming64(a.edges[0]!, a.edges[1]!, b.edges[0]!, b.edges[1]!);
}

/**
 * Whether upright pictures `distance` pHash bits apart whose edge hashes are `edgeDistance()` bits apart are within
 * the upright key of `gates` (the edge distance is asked only when the key bounds anything). The one rule the
 * pairwise gate, the index's query and the whole-library joins all apply.
 */
export function uprightKeyHolds(gates: CandidateGates, distance: number, edgeDistance: () => number): boolean {
  return gates.uprightKey >= UPRIGHT_KEY_OFF || distance + edgeDistance() <= gates.uprightKey;
}

/** Whether the upright pair at pHash distance `distance` passes the upright gate (its margin and its key). */
export function uprightGatePasses(a: Fingerprint, b: Fingerprint, distance: number, threshold: number, gates: CandidateGates): boolean {
  if (gates.uprightMargin <= 0 || distance > threshold + gates.uprightMargin) return false;
  return uprightKeyHolds(gates, distance, () => uprightEdgeDistance(a, b));
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
  if (uprightGatePasses(a, b, uprightWholeDistance(a, b), threshold, gates)) return 'upright-whole';
  return null;
}

/**
 * The upright join's pairs (owners = positions in `edges`, distance = the upright pHash distance) that pass the
 * upright key of `gates`, in order: what uprightGatePasses keeps, so a join hands on no pair confirmPair would refuse
 * before its content check.
 */
export function withinUprightKey(pairs: ImagePairs, gates: CandidateGates, edges: HashColumns): ImagePairs {
  if (gates.uprightKey >= UPRIGHT_KEY_OFF) return pairs;
  const keep: number[] = [];
  for (let k = 0; k < pairs.left.length; k++) {
    const p = pairs.left[k]!;
    const q = pairs.right[k]!;
    if (uprightKeyHolds(gates, pairs.distance[k]!, () => hamming64(edges.hi[p]!, edges.lo[p]!, edges.hi[q]!, edges.lo[q]!))) keep.push(k);
  }
  return {
    left: Int32Array.from(keep, (k) => pairs.left[k]!),
    right: Int32Array.from(keep, (k) => pairs.right[k]!),
    distance: Uint8Array.from(keep, (k) => pairs.distance[k]!),
  };
}
