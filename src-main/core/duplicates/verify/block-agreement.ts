// The content test behind a match: once aligned, do the two pictures agree in fine detail block by block?
// A band-pass (difference of two blurs) removes the coarse layout two different photos of a pale cap on dark
// litter share, and correlation per block ignores brightness and contrast, and lets a caption or watermark spoil
// only the blocks it covers.
import { CONTENT_BLOCK_CORRELATION as BLOCK_CORRELATION } from '../../../../src-shared/defaults';
import { applySimilarity, invertSimilarity, type Similarity } from './feature-matching';
import { sample, smooth, type GreyPlane } from './keypoints';

export interface BlockAgreement {
  /** Blocks that lie (mostly) inside both pictures. */
  blocks: number;
  /** Of those, blocks whose band-passed detail correlates at least CONTENT_BLOCK_CORRELATION. */
  agreeing: number;
  /** Median block correlation. */
  median: number;
  /** Share of the coarser picture that the other covers. */
  overlap: number;
  /** Every block correlation, ascending (for tuning and the explanation). */
  correlations: number[];
}

/** Block side in pixels of the coarser picture's grid (128 px long edge at most). */
const BLOCK = 16;
const MIN_BLOCK_COVERAGE = 0.75;
/** Blocks whose band-passed detail varies less than this (grey levels squared) are flat: no evidence. */
const FLAT_VARIANCE = 9;

/** `transform` carries `from` coordinates into `to` coordinates. */
export function blockAgreement(from: GreyPlane, to: GreyPlane, transform: Similarity): BlockAgreement {
  const scale = Math.hypot(transform.a, transform.b);
  // Compare on the grid of the picture that shows the shared content with fewer pixels, sampling the other.
  const [grid, other, start] = scale >= 1 ? [from, to, transform] : [to, from, invertSimilarity(transform)];
  const source = Math.max(scale, 1 / scale) > 1.2 ? smooth(other) : other;
  const a = bandPass(grid);
  const { width: w, height: h } = grid;
  const map = refineAlignment(a, w, h, source, start);
  const { warped, inside, covered } = warp(source, map, w, h);
  const b = bandPass({ width: w, height: h, data: warped });
  const correlations: number[] = [];
  for (let by = 0; by + BLOCK <= h; by += BLOCK)
    for (let bx = 0; bx + BLOCK <= w; bx += BLOCK) {
      const r = blockCorrelation(a, b, inside, w, bx, by, BLOCK);
      if (r !== null) correlations.push(r);
    }
  correlations.sort((p, q) => p - q);
  return {
    blocks: correlations.length,
    agreeing: correlations.filter((r) => r >= BLOCK_CORRELATION).length,
    median: correlations.length ? correlations[Math.floor(correlations.length / 2)]! : 0,
    overlap: covered / (w * h),
    correlations,
  };
}

function warp(source: GreyPlane, map: Similarity, w: number, h: number): { warped: Float32Array; inside: Uint8Array; covered: number } {
  const warped = new Float32Array(w * h);
  const inside = new Uint8Array(w * h);
  let covered = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const value = sampleMapped(source, map, x, y);
      if (Number.isNaN(value)) continue;
      warped[y * w + x] = value;
      inside[y * w + x] = 1;
      covered++;
    }
  return { warped, inside, covered };
}

/** The source's grey level at the point `map` carries (x, y) to, or NaN outside the source (no tuple: hot loop). */
function sampleMapped(source: GreyPlane, map: Similarity, x: number, y: number): number {
  const ox = map.a * x - map.b * y + map.tx;
  const oy = map.b * x + map.a * y + map.ty;
  if (ox < 0 || oy < 0 || ox > source.width - 1 || oy > source.height - 1) return NaN;
  return sample(source, ox, oy);
}

/** Running sums for a Pearson correlation of paired values. */
class PearsonSums {
  n = 0;
  private sa = 0;
  private sb = 0;
  private saa = 0;
  private sbb = 0;
  private sab = 0;

  add(va: number, vb: number): void {
    this.n++;
    this.sa += va;
    this.sb += vb;
    this.saa += va * va;
    this.sbb += vb * vb;
    this.sab += va * vb;
  }

  /** n times the variance of each side. */
  spreadA(): number {
    return this.saa - (this.sa * this.sa) / this.n;
  }
  spreadB(): number {
    return this.sbb - (this.sb * this.sb) / this.n;
  }

  /** The correlation, or -1 when either side is constant. */
  correlation(): number {
    const den = Math.sqrt(this.spreadA() * this.spreadB());
    return den > 0 ? (this.sab - (this.sa * this.sb) / this.n) / den : -1;
  }
}

/**
 * Keypoints sit on whole pixels of a small pyramid, so the fitted transform can be off by a pixel or a degree,
 * enough to blur fine detail apart. A short coordinate search on shift, rotation and scale maximises the
 * correlation of the band-passed pictures over their overlap.
 */
function refineAlignment(gridDetail: Float32Array, w: number, h: number, source: GreyPlane, start: Similarity): Similarity {
  // Band-pass the source once in its own frame: close enough to the true band for choosing among small moves.
  const sourceDetail: GreyPlane = { width: source.width, height: source.height, data: bandPass(source) };
  const cx = w / 2;
  const cy = h / 2;
  const [mx, my] = applySimilarity(start, cx, cy);
  let params = [mx, my, Math.hypot(start.a, start.b), Math.atan2(start.b, start.a)];
  const toMap = ([px, py, scale, angle]: number[]): Similarity => {
    const a = scale! * Math.cos(angle!);
    const b = scale! * Math.sin(angle!);
    return { a, b, tx: px! - (a * cx - b * cy), ty: py! - (b * cx + a * cy) };
  };
  const score = (p: number[]) => sparseCorrelation(gridDetail, w, h, sourceDetail, toMap(p));
  let best = score(params);
  const steps = [1, 1, 0.01 * params[2]!, 0.01];
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < 4; k++)
      for (const sign of [1, -1]) {
        const trial = [...params];
        trial[k]! += sign * steps[k]!;
        const value = score(trial);
        if (value > best) {
          best = value;
          params = trial;
          break;
        }
      }
    for (let k = 0; k < 4; k++) steps[k]! /= 2;
  }
  return toMap(params);
}

/** Correlation of the grid's detail with the warped source detail on every other pixel of every other row. */
function sparseCorrelation(a: Float32Array, w: number, h: number, source: GreyPlane, map: Similarity): number {
  const sums = new PearsonSums();
  for (let y = 0; y < h; y += 2)
    for (let x = 0; x < w; x += 2) {
      const vb = sampleMapped(source, map, x, y);
      if (!Number.isNaN(vb)) sums.add(a[y * w + x]!, vb);
    }
  return sums.n < 16 ? -1 : sums.correlation();
}

/** Detail between ~1 and ~3 px: the blur of 1 minus the blur of 3 binomial passes. */
function bandPass(img: GreyPlane): Float32Array {
  const fine = smooth(img);
  const coarse = smooth(smooth(fine));
  const out = new Float32Array(fine.data.length);
  for (let i = 0; i < out.length; i++) out[i] = fine.data[i]! - coarse.data[i]!;
  return out;
}

/** Pearson correlation over the pixels of one block inside both pictures (a 2 px rim left out: blur reaches it). */
function blockCorrelation(
  a: Float32Array,
  b: Float32Array,
  inside: Uint8Array,
  w: number,
  bx: number,
  by: number,
  side: number,
): number | null {
  const sums = new PearsonSums();
  for (let y = by; y < by + side; y++)
    for (let x = bx; x < bx + side; x++) if (insideWithRim(inside, w, x, y)) sums.add(a[y * w + x]!, b[y * w + x]!);
  if (sums.n < side * side * MIN_BLOCK_COVERAGE) return null;
  // A flat block (sky, a white table) carries no evidence either way.
  if (sums.spreadA() < sums.n * FLAT_VARIANCE || sums.spreadB() < sums.n * FLAT_VARIANCE) return null;
  return sums.correlation();
}

function insideWithRim(inside: Uint8Array, w: number, x: number, y: number): boolean {
  const h = inside.length / w;
  for (const [dx, dy] of [
    [-2, 0],
    [2, 0],
    [0, -2],
    [0, 2],
  ] as const) {
    const nx = x + dx;
    const ny = y + dy;
    if (nx >= 0 && ny >= 0 && nx < w && ny < h && !inside[ny * w + nx]) return false;
  }
  return inside[y * w + x] === 1;
}
