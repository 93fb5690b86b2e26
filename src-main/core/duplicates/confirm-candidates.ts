// The confirmation stage between candidate generation (the Hamming join) and clustering: takes candidate pairs,
// returns the ones whose pictures agree in content, each with its explanation. Candidate generation may change
// (tighter radii, other indexes); this stage only needs two image ids and their stored data.
import type { MatchExplanation } from '../../../src-shared/model';
import { CONTENT_BYPASS_DISTANCE, CONTENT_MIN_BLOCK_SHARE, CONTENT_MIN_BLOCKS, CONTENT_MIN_INLIERS } from '../../../src-shared/defaults';
import type { Db } from '../catalog/database';
import { ByteBudgetCache } from '../byte-budget-cache';
import type { Fingerprint } from '../imaging/fingerprint';
import { contentOnlyGate, type ContentOnlyGate } from './content-only-gate';
import { edgeKeyAgrees, fingerprintMatches, verifiedMatch } from './fingerprint-distance';
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
 * A candidate is confirmed when its hashes are within the threshold (any window, any flip or quarter turn) and some
 * hash pair's 128-bit key (pHash + edge hash, fingerprint v5) within edgeKeyThreshold(threshold), or it passes one of
 * the wide gates (content-only-gate.ts: whole pictures a few bits further, off-centre windows), and the content
 * check accepts it; when either image has no stored rendition, the DCT correlation alone decides (at the threshold
 * and within the key: the wide gates need the content check).
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
  // Fingerprint v5: hashes within the threshold make a candidate only when some hash pair's 128-bit key (pHash + edge
  // hash) agrees too; without it the pair is a look-alike of the coarse layout, unless a wide gate lets it in (then
  // the content check alone decides, as for any pair past the threshold).
  const hashGate = distance <= threshold && edgeKeyAgrees(a.fingerprint, b.fingerprint, threshold);
  if (!a.prepared || !b.prepared) {
    if (anyDistance || !hashGate) return null;
    const match = verifiedMatch(a.fingerprint, b.fingerprint, threshold);
    if (!match) return null;
    const why = explainHashMatch(match.distance, match.correlation, match.kind);
    return { distance: match.distance, fromA: why, fromB: why };
  }
  let through: ContentOnlyGate | null = null;
  if (!hashGate && !anyDistance) {
    through = contentOnlyGate(a.fingerprint, b.fingerprint, threshold);
    if (!through) return null;
  }
  const check = checkContent(a.prepared, b.prepared, CONTENT_RULES);
  if (!check.accepted) {
    // Very close hashes whose coefficients correlate: a copy the 128 px content check cannot see (a thumbnail).
    if (anyDistance || through !== null || distance > CONTENT_BYPASS_DISTANCE) return null;
    const match = verifiedMatch(a.fingerprint, b.fingerprint, Math.min(threshold, CONTENT_BYPASS_DISTANCE));
    if (!match) return null;
    const why = explainHashMatch(match.distance, match.correlation, match.kind);
    return { distance: match.distance, fromA: why, fromB: why };
  }
  const beyond = distance > threshold ? threshold : null;
  return {
    distance,
    fromA: explainContentMatch(check, distance, beyond, through),
    fromB: explainContentMatch(reverseContentCheck(check), distance, beyond, through),
  };
}

/**
 * Prepared renditions kept in memory at most, in bytes. One costs ~127 kB (the 128 px grey plane and its mirror as
 * floats, with ~200 keypoints and descriptors each) and ~3-8 ms to make, a content check ~1-3 ms: a re-clustering of a
 * library of 100k different photos touches most of them, and kept all they would take ~13 GB. The least recently
 * used are dropped past this budget (~4,000 renditions) and made again when asked.
 */
export const PREPARED_CACHE_BYTES = 512 * 1024 * 1024;

/** Confirms candidate pairs of one library, keeping the most recently used images' prepared renditions. */
export class CandidateConfirmer {
  private readonly prepared: ByteBudgetCache<number, PreparedThumbnail | null>;
  /** Renditions prepared so far (each image once while it stays in the cache). */
  preparations = 0;

  constructor(
    private readonly db: Db,
    private readonly threshold: number,
    budgetBytes = PREPARED_CACHE_BYTES,
  ) {
    // The newest two always stay: the pair being confirmed.
    this.prepared = new ByteBudgetCache(budgetBytes, Infinity, 2);
  }

  confirm(a: number, fa: Fingerprint, b: number, fb: Fingerprint, anyDistance = false): ConfirmedMatch | null {
    return confirmPair(
      { fingerprint: fa, prepared: this.preparedOf(a) },
      { fingerprint: fb, prepared: this.preparedOf(b) },
      this.threshold,
      anyDistance,
    );
  }

  /** Bytes held by the prepared renditions now (never above the budget, but for the two of the pair in hand). */
  get heldBytes(): number {
    return this.prepared.heldBytes;
  }

  private preparedOf(id: number): PreparedThumbnail | null {
    return this.prepared.valueOf(
      id,
      () => {
        this.preparations++;
        const thumb = readMatchThumbnail(this.db, id);
        return thumb ? prepareThumbnail(thumb) : null;
      },
      (value) => (value ? preparedBytes(value) : 64),
    );
  }
}

/** Bytes one prepared rendition holds. */
export function preparedBytes(p: PreparedThumbnail): number {
  const keypoints = (k: PreparedThumbnail['keypoints']) => k.x.byteLength + k.y.byteLength + k.descriptors.byteLength;
  return (
    p.thumb.grey.byteLength + p.plane.data.byteLength + p.mirrored.data.byteLength + keypoints(p.keypoints) + keypoints(p.mirroredKeypoints)
  );
}
