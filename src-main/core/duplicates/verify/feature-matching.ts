// Descriptor matching and a robust similarity fit: which keypoints of one picture are the same points of the
// other, and the one rotation + scale + shift that carries most of them across (deterministic, no random sampling).
import { popcount32 } from '../popcount';
import { DESCRIPTOR_WORDS, type KeypointSet } from './keypoints';

/** z' = (a + ib) z + (tx + i ty): rotation by atan2(b, a), scale |a + ib|, then a shift. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export interface Correspondence {
  from: number;
  to: number;
  distance: number;
}

export interface SimilarityFit {
  transform: Similarity;
  inliers: number;
  matches: number;
}

/** A match is kept only if its descriptors differ in at most this many of 256 bits. */
const MAX_DESCRIPTOR_DISTANCE = 64;
/** Hypotheses come from pairs among the best matches (exhaustively, so the fit is deterministic). */
const HYPOTHESIS_MATCHES = 40;
/** Reprojection tolerance in thumbnail pixels (128 px long edge). */
const INLIER_TOLERANCE = 3;
const MIN_SCALE = 0.4;
const MAX_SCALE = 2.5;

/** Mutual nearest neighbours by Hamming distance, best first. */
export function matchDescriptors(from: KeypointSet, to: KeypointSet): Correspondence[] {
  const bestTo = new Int32Array(from.count).fill(-1);
  const bestToDistance = new Int32Array(from.count).fill(1 << 30);
  const bestFrom = new Int32Array(to.count).fill(-1);
  const bestFromDistance = new Int32Array(to.count).fill(1 << 30);
  const fd = from.descriptors;
  const td = to.descriptors;
  for (let i = 0; i < from.count; i++) {
    const fi = i * DESCRIPTOR_WORDS;
    for (let j = 0; j < to.count; j++) {
      const tj = j * DESCRIPTOR_WORDS;
      let d = 0;
      for (let w = 0; w < DESCRIPTOR_WORDS; w++) d += popcount32((fd[fi + w]! ^ td[tj + w]!) >>> 0);
      if (d < bestToDistance[i]!) {
        bestToDistance[i] = d;
        bestTo[i] = j;
      }
      if (d < bestFromDistance[j]!) {
        bestFromDistance[j] = d;
        bestFrom[j] = i;
      }
    }
  }
  const out: Correspondence[] = [];
  for (let i = 0; i < from.count; i++) {
    const j = bestTo[i]!;
    if (j >= 0 && bestFrom[j] === i && bestToDistance[i]! <= MAX_DESCRIPTOR_DISTANCE)
      out.push({ from: i, to: j, distance: bestToDistance[i]! });
  }
  return out.sort((p, q) => p.distance - q.distance || p.from - q.from || p.to - q.to);
}

export function applySimilarity(t: Similarity, x: number, y: number): [number, number] {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const n = t.a * t.a + t.b * t.b;
  const a = t.a / n;
  const b = -t.b / n;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** The similarity that carries the most correspondences within tolerance, refitted on its inliers; null if none. */
export function fitSimilarity(from: KeypointSet, to: KeypointSet, matches: Correspondence[]): SimilarityFit | null {
  const seeds = matches.slice(0, HYPOTHESIS_MATCHES);
  let best: Similarity | null = null;
  let bestCount = 0;
  for (let i = 0; i < seeds.length; i++)
    for (let j = i + 1; j < seeds.length; j++) {
      const t = twoPointSimilarity(from, to, seeds[i]!, seeds[j]!);
      if (!t) continue;
      const count = countInliers(from, to, matches, t);
      if (count > bestCount) {
        bestCount = count;
        best = t;
      }
    }
  if (!best) return null;
  for (let round = 0; round < 2; round++) {
    const refined = leastSquares(from, to, inliersOf(from, to, matches, best));
    if (!refined) break;
    const count = countInliers(from, to, matches, refined);
    if (count < bestCount) break;
    best = refined;
    bestCount = count;
  }
  return { transform: best, inliers: bestCount, matches: matches.length };
}

function twoPointSimilarity(from: KeypointSet, to: KeypointSet, p: Correspondence, q: Correspondence): Similarity | null {
  const ux = from.x[q.from]! - from.x[p.from]!;
  const uy = from.y[q.from]! - from.y[p.from]!;
  const vx = to.x[q.to]! - to.x[p.to]!;
  const vy = to.y[q.to]! - to.y[p.to]!;
  const n = ux * ux + uy * uy;
  if (n < 64) return null; // points closer than 8 px say little about rotation or scale
  const a = (vx * ux + vy * uy) / n;
  const b = (vy * ux - vx * uy) / n;
  const scale = Math.hypot(a, b);
  if (scale < MIN_SCALE || scale > MAX_SCALE) return null;
  const fx = from.x[p.from]!;
  const fy = from.y[p.from]!;
  return { a, b, tx: to.x[p.to]! - (a * fx - b * fy), ty: to.y[p.to]! - (b * fx + a * fy) };
}

function isInlier(from: KeypointSet, to: KeypointSet, m: Correspondence, t: Similarity): boolean {
  const fx = from.x[m.from]!;
  const fy = from.y[m.from]!;
  const dx = t.a * fx - t.b * fy + t.tx - to.x[m.to]!;
  const dy = t.b * fx + t.a * fy + t.ty - to.y[m.to]!;
  return dx * dx + dy * dy <= INLIER_TOLERANCE * INLIER_TOLERANCE;
}

function countInliers(from: KeypointSet, to: KeypointSet, matches: Correspondence[], t: Similarity): number {
  let n = 0;
  for (const m of matches) if (isInlier(from, to, m, t)) n++;
  return n;
}

function inliersOf(from: KeypointSet, to: KeypointSet, matches: Correspondence[], t: Similarity): Correspondence[] {
  return matches.filter((m) => isInlier(from, to, m, t));
}

/** Closed-form least-squares similarity (complex-number form of Umeyama's method without reflection). */
function leastSquares(from: KeypointSet, to: KeypointSet, inliers: Correspondence[]): Similarity | null {
  if (inliers.length < 2) return null;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (const m of inliers) {
    fx += from.x[m.from]!;
    fy += from.y[m.from]!;
    tx += to.x[m.to]!;
    ty += to.y[m.to]!;
  }
  const n = inliers.length;
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  let re = 0;
  let im = 0;
  let norm = 0;
  for (const m of inliers) {
    const ux = from.x[m.from]! - fx;
    const uy = from.y[m.from]! - fy;
    const vx = to.x[m.to]! - tx;
    const vy = to.y[m.to]! - ty;
    re += vx * ux + vy * uy;
    im += vy * ux - vx * uy;
    norm += ux * ux + uy * uy;
  }
  if (norm === 0) return null;
  const a = re / norm;
  const b = im / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}
