// Words for a confirmed match: what the UI shows beside a cluster member (transform, distance, agreement).
import { CONTENT_BLOCK_CORRELATION } from '../../../../src-shared/defaults';
import type { MatchExplanation } from '../../../../src-shared/model';
import type { ContentOnlyGate } from '../content-only-gate';
import type { ContentCheck } from './verify-pair';

const GATE_WORDS: Record<ContentOnlyGate, string> = {
  'whole-margin': 'whole pictures within the margin',
  'upright-whole': 'upright whole pictures within the wider margin',
  'off-centre': 'an off-centre crop window',
};

/**
 * `check` maps the member (first) onto the representative (second); `distance` is the candidate's Hamming distance;
 * `beyondThreshold` is the threshold when the hashes were past it (a wide gate, or a member checked against a
 * representative the candidate search did not pair it with); `through` names the wide gate that found the pair (also
 * when the hashes were within the threshold but the edge hashes disagreed, so only a wide gate let the pair in).
 */
export function explainContentMatch(
  check: ContentCheck,
  distance: number,
  beyondThreshold: number | null = null,
  through: ContentOnlyGate | null = null,
): MatchExplanation {
  const { blocks, agreeing, median } = check.agreement;
  const transform = describeTransform(check);
  return {
    transform,
    distance,
    measure: 'block correlation',
    agreement: round(blocks ? agreeing / blocks : 0, 3),
    detail:
      `${check.inliers} of ${check.matches} keypoints agree under ${transform}; ` +
      `${agreeing} of ${blocks} textured blocks correlate >= ${CONTENT_BLOCK_CORRELATION} in fine detail (median ${median.toFixed(2)})` +
      (beyondThreshold !== null
        ? `; hashes ${distance} bits apart, past the threshold ${beyondThreshold} (` +
          (through ? `found through ${GATE_WORDS[through]}` : 'an overlay, a heavy edit or a copy of a copy') +
          '), so the content check alone decided'
        : through
          ? // Within the threshold, but no hash pair's edge hash agreed (fingerprint v5's 128-bit key).
            `; hashes ${distance} bits apart but their edge hashes disagree (found through ${GATE_WORDS[through]}), so the content check alone decided`
          : ''),
  };
}

/** For fingerprints without a stored rendition (an old library not yet backfilled): the DCT check alone. */
export function explainHashMatch(distance: number, correlation: number, kind: string): MatchExplanation {
  return {
    transform:
      kind === 'pixels'
        ? 'identical pixels'
        : kind === 'whole'
          ? 'whole picture'
          : kind === 'edited-window'
            ? 'turned or captioned window'
            : 'crop window',
    distance,
    measure: 'DCT correlation',
    agreement: round(correlation, 3),
    detail: `low-frequency DCT coefficients correlate ${correlation.toFixed(3)} (no grey rendition stored yet to compare detail)`,
  };
}

function describeTransform(check: ContentCheck): string {
  const parts: string[] = [];
  if (check.mirrored) parts.push('mirror');
  const quarter = Math.round(check.rotationDegrees / 90) * 90;
  const rest = check.rotationDegrees - quarter;
  const degrees = Math.abs(rest) >= 1.5 ? Math.round(check.rotationDegrees) : quarter;
  if (degrees !== 0) parts.push(`rotate ${degrees}°`);
  const { left, top, width, height } = check.window;
  const area = width * height;
  if (area < 0.97) parts.push(`crop ${Math.round(area * 100)}% (at ${Math.round(left * 100)}%, ${Math.round(top * 100)}%)`);
  if (Math.abs(check.scale - 1) >= 0.05 && area >= 0.97) parts.push(`scale ${check.scale.toFixed(2)}x`);
  return parts.length ? parts.join(', ') : 'identity';
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
