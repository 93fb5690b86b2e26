// The confirmation stage for a candidate pair: keypoints align the two pictures (any rotation, mirror, crop window
// or rescale), then the aligned pictures must agree in fine detail block by block. Symmetric by construction: the
// pair is always examined in one canonical order (by content), and the geometry is reported in the caller's order.
import { blockAgreement, type BlockAgreement } from './block-agreement';
import { applySimilarity, fitSimilarity, invertSimilarity, matchDescriptors, type Similarity } from './feature-matching';
import { extractKeypoints, planeOf, type GreyPlane, type KeypointSet } from './keypoints';
import type { MatchThumbnail } from '../../imaging/match-thumbnail';

/** Keypoints of a picture and of its mirror image, computed once per image and reused for every candidate. */
export interface PreparedThumbnail {
  thumb: MatchThumbnail;
  plane: GreyPlane;
  mirrored: GreyPlane;
  keypoints: KeypointSet;
  mirroredKeypoints: KeypointSet;
}

export interface ContentCheckRules {
  minInliers: number;
  /** Share of compared blocks that must agree. */
  minBlockShare: number;
  minBlocks: number;
}

/** What the check found, in the caller's order: geometry maps the first picture onto the second. */
export interface ContentCheck {
  accepted: boolean;
  mirrored: boolean;
  /** How much larger the shared content appears in the second picture (0.5 = the second is a half-size copy). */
  scale: number;
  /** Rotation carrying the first picture (after the mirror, if any) onto the second, in degrees (-180, 180]. */
  rotationDegrees: number;
  /** The part of the wider picture (where the shared content looks smaller) that the other covers, as fractions. */
  window: { left: number; top: number; width: number; height: number };
  inliers: number;
  matches: number;
  agreement: BlockAgreement;
}

export function prepareThumbnail(thumb: MatchThumbnail): PreparedThumbnail {
  const plane = planeOf(thumb);
  const mirrored = planeOf(thumb, true);
  return { thumb, plane, mirrored, keypoints: extractKeypoints(plane), mirroredKeypoints: extractKeypoints(mirrored) };
}

export function checkContent(a: PreparedThumbnail, b: PreparedThumbnail, rules: ContentCheckRules): ContentCheck {
  const swap = compareThumbnails(a.thumb, b.thumb) > 0;
  const [first, second] = swap ? [b, a] : [a, b];
  const found = alignAndCompare(first, second, rules);
  const accepted =
    found !== null &&
    found.inliers >= rules.minInliers &&
    found.agreement.blocks >= rules.minBlocks &&
    found.agreement.agreeing >= rules.minBlockShare * found.agreement.blocks;
  if (!found) return { ...NO_ALIGNMENT, matches: 0 };
  const check = describe(first, second, found, accepted);
  return swap ? reverseContentCheck(check) : check;
}

const NO_ALIGNMENT: Omit<ContentCheck, 'matches'> = {
  accepted: false,
  mirrored: false,
  scale: 1,
  rotationDegrees: 0,
  window: { left: 0, top: 0, width: 1, height: 1 },
  inliers: 0,
  agreement: { blocks: 0, agreeing: 0, median: 0, overlap: 0, correlations: [] },
};

interface Alignment {
  mirrored: boolean;
  /** From `first` to `second` (or to second's mirror image when mirrored). */
  transform: Similarity;
  inliers: number;
  matches: number;
  agreement: BlockAgreement;
}

/** The better of the direct and the mirrored alignment (more inliers; the direct one on a tie). */
function alignAndCompare(first: PreparedThumbnail, second: PreparedThumbnail, rules: ContentCheckRules): Alignment | null {
  let best: Alignment | null = null;
  for (const mirrored of [false, true]) {
    const target = mirrored ? second.mirroredKeypoints : second.keypoints;
    const matches = matchDescriptors(first.keypoints, target);
    const fit = fitSimilarity(first.keypoints, target, matches);
    if (!fit || (best && fit.inliers <= best.inliers)) continue;
    // Too few consistent keypoints: no need to look at the blocks (most candidate pairs stop here).
    if (fit.inliers < rules.minInliers) {
      best = { mirrored, transform: fit.transform, inliers: fit.inliers, matches: fit.matches, agreement: NO_ALIGNMENT.agreement };
      continue;
    }
    const agreement = blockAgreement(first.plane, mirrored ? second.mirrored : second.plane, fit.transform);
    best = { mirrored, transform: fit.transform, inliers: fit.inliers, matches: fit.matches, agreement };
  }
  return best;
}

function describe(first: PreparedThumbnail, second: PreparedThumbnail, found: Alignment, accepted: boolean): ContentCheck {
  const t = found.transform;
  const scale = Math.hypot(t.a, t.b);
  // The picture where the shared content looks smaller shows the wider field (the original of a crop); the window
  // is where the other picture sits in it.
  const [inner, outer, map] = scale < 1 ? [first.thumb, second.thumb, t] : [second.thumb, first.thumb, invertSimilarity(t)];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [cx, cy] of [
    [0, 0],
    [inner.width, 0],
    [0, inner.height],
    [inner.width, inner.height],
  ] as const) {
    const [x, y] = applySimilarity(map, cx, cy);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const left = clamp(x0 / outer.width);
  const top = clamp(y0 / outer.height);
  const window = { left, top, width: clamp(x1 / outer.width) - left, height: clamp(y1 / outer.height) - top };
  // Mirrored alignments map onto second's mirror image: a window in it is read back in second's own frame.
  if (found.mirrored && scale < 1) window.left = clamp(1 - window.left - window.width);
  return {
    accepted,
    mirrored: found.mirrored,
    scale,
    rotationDegrees: normaliseDegrees((Math.atan2(t.b, t.a) * 180) / Math.PI),
    window,
    inliers: found.inliers,
    matches: found.matches,
    agreement: found.agreement,
  };
}

/** The same finding seen from the other picture: inverse scale, and the rotation undone (a mirror conjugates it). */
export function reverseContentCheck(check: ContentCheck): ContentCheck {
  return {
    ...check,
    scale: 1 / check.scale,
    rotationDegrees: check.mirrored ? check.rotationDegrees : normaliseDegrees(-check.rotationDegrees),
  };
}

function normaliseDegrees(d: number): number {
  let out = d;
  while (out <= -180) out += 360;
  while (out > 180) out -= 360;
  return out === 0 ? 0 : out;
}

/** A total order on thumbnails by content (size, then pixels). */
function compareThumbnails(a: MatchThumbnail, b: MatchThumbnail): number {
  if (a.width !== b.width) return a.width - b.width;
  if (a.height !== b.height) return a.height - b.height;
  return Buffer.compare(
    Buffer.from(a.grey.buffer, a.grey.byteOffset, a.grey.length),
    Buffer.from(b.grey.buffer, b.grey.byteOffset, b.grey.length),
  );
}
