// The confirmation stage between candidate generation (the Hamming join) and clustering: takes candidate pairs,
// returns the ones whose pictures agree in content, each with its explanation. Candidate generation may change
// (tighter radii, other indexes); this stage only needs two image ids and their stored data.
import type { MatchExplanation } from '../../../src-shared/model';
import { CONTENT_BYPASS_DISTANCE, CONTENT_MIN_BLOCK_SHARE, CONTENT_MIN_BLOCKS, CONTENT_MIN_INLIERS } from '../../../src-shared/defaults';
import type { Db } from '../catalog/database';
import type { Fingerprint } from '../imaging/fingerprint';
import { fingerprintMatches, verifiedMatch, wholePictureDistance, wholePictureMargin } from './fingerprint-distance';
import { explainContentMatch, explainHashMatch } from './verify/explain-match';
import { readMatchThumbnail } from './verify/thumbnail-store';
import { checkContent, prepareThumbnail, reverseContentCheck, type ContentCheckRules, type PreparedThumbnail } from './verify/verify-pair';

export const CONTENT_RULES: ContentCheckRules = {
  minInliers: CONTENT_MIN_INLIERS,
  minBlockShare: CONTENT_MIN_BLOCK_SHARE,
  minBlocks: CONTENT_MIN_BLOCKS,
};

export interface ConfirmedMatch {
  /** Hamming distance of the pair's best hash pair (0 for identical pixels). */
  distance: number;
  /** Why `a` matches `b`, seen from `a` (the caller's first image). */
  fromA: MatchExplanation;
  /** The same seen from `b`. */
  fromB: MatchExplanation;
}

/** What the confirmation reads of one image: its fingerprint and, when stored, its prepared grey rendition. */
export interface PairSubject {
  fingerprint: Fingerprint;
  prepared: PreparedThumbnail | null;
}

/**
 * A candidate is confirmed when its hashes are within the threshold (any window, any flip or quarter turn), or its
 * whole pictures within wholePictureMargin(threshold) bits more, and the content check accepts it; when either image has no
 * stored rendition, the DCT correlation alone decides (at the threshold: the margin needs the content check).
 * `anyDistance` drops the hash gate (the content check alone decides, both renditions needed): clustering uses
 * it to test a member against a representative the candidate search did not pair it with.
 */
export function confirmPair(a: PairSubject, b: PairSubject, threshold: number, anyDistance = false): ConfirmedMatch | null {
  const matches = fingerprintMatches(a.fingerprint, b.fingerprint);
  if (matches[0].kind === 'pixels') {
    const same = explainHashMatch(0, 1, 'pixels');
    return { distance: 0, fromA: same, fromB: same };
  }
  const distance = Math.min(...matches.map((m) => m.distance));
  if (!a.prepared || !b.prepared) {
    if (anyDistance) return null;
    const match = verifiedMatch(a.fingerprint, b.fingerprint, threshold);
    if (!match) return null;
    const why = explainHashMatch(match.distance, match.correlation, match.kind);
    return { distance: match.distance, fromA: why, fromB: why };
  }
  if (
    distance > threshold &&
    !anyDistance &&
    wholePictureDistance(a.fingerprint, b.fingerprint) > threshold + wholePictureMargin(threshold)
  )
    return null;
  const check = checkContent(a.prepared, b.prepared, CONTENT_RULES);
  if (!check.accepted) {
    // Very close hashes whose coefficients correlate: a copy the 128 px content check cannot see (a thumbnail).
    if (anyDistance || distance > CONTENT_BYPASS_DISTANCE) return null;
    const match = verifiedMatch(a.fingerprint, b.fingerprint, Math.min(threshold, CONTENT_BYPASS_DISTANCE));
    if (!match) return null;
    const why = explainHashMatch(match.distance, match.correlation, match.kind);
    return { distance: match.distance, fromA: why, fromB: why };
  }
  const beyond = distance > threshold ? threshold : null;
  return {
    distance,
    fromA: explainContentMatch(check, distance, beyond),
    fromB: explainContentMatch(reverseContentCheck(check), distance, beyond),
  };
}

/** Confirms candidate pairs of one library, preparing each image's keypoints once. */
export class CandidateConfirmer {
  private readonly prepared = new Map<number, PreparedThumbnail | null>();

  constructor(
    private readonly db: Db,
    private readonly threshold: number,
  ) {}

  confirm(a: number, fa: Fingerprint, b: number, fb: Fingerprint, anyDistance = false): ConfirmedMatch | null {
    return confirmPair(
      { fingerprint: fa, prepared: this.preparedOf(a) },
      { fingerprint: fb, prepared: this.preparedOf(b) },
      this.threshold,
      anyDistance,
    );
  }

  private preparedOf(id: number): PreparedThumbnail | null {
    let p = this.prepared.get(id);
    if (p === undefined) {
      const thumb = readMatchThumbnail(this.db, id);
      p = thumb ? prepareThumbnail(thumb) : null;
      this.prepared.set(id, p);
    }
    return p;
  }
}
