// Oriented corner keypoints with binary descriptors (in the manner of ORB: Harris corners on a small pyramid,
// intensity-centroid orientation, a steered 256-bit intensity-comparison descriptor), model-free and in plain JS.
// They let the content check align a copy with its original under any rotation, flip, crop window or rescale.
import type { MatchThumbnail } from '../../imaging/match-thumbnail';

export interface GreyPlane {
  width: number;
  height: number;
  data: Float32Array;
}

/** Keypoints in the coordinates of the thumbnail they came from (level 0), with 8 descriptor words each. */
export interface KeypointSet {
  width: number;
  height: number;
  count: number;
  x: Float32Array;
  y: Float32Array;
  descriptors: Uint32Array;
}

/** Pyramid levels as a fraction of the thumbnail: crops and rescales change the content scale up to ~1.7x. */
const LEVELS = [1, 0.75, 0.56] as const;
const MAX_PER_LEVEL = [110, 70, 40] as const;
/** Descriptor sample points lie within this radius (pixels of the level) around the keypoint. */
const PATCH_RADIUS = 8;
const MARGIN = PATCH_RADIUS + 2;
const ORIENTATION_RADIUS = 6;
const DESCRIPTOR_BITS = 256;
export const DESCRIPTOR_WORDS = DESCRIPTOR_BITS / 32;

/** The comparison pattern: point pairs drawn once from a seeded isotropic Gaussian, clipped to the patch. */
const PATTERN: Float32Array = (() => {
  let state = 20260514;
  // A fixed LCG: the pattern must be the same in every process and version, or stored results would drift.
  const rnd = () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const gauss = () => {
    const u = Math.max(1e-9, rnd());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  const out = new Float32Array(DESCRIPTOR_BITS * 4);
  for (let i = 0; i < out.length; i += 2) {
    let px: number;
    let py: number;
    do {
      px = gauss() * (PATCH_RADIUS / 2.2);
      py = gauss() * (PATCH_RADIUS / 2.2);
    } while (px * px + py * py > PATCH_RADIUS * PATCH_RADIUS);
    out[i] = px;
    out[i + 1] = py;
  }
  return out;
})();

export function planeOf(thumb: MatchThumbnail, mirrored = false): GreyPlane {
  const { width, height, grey } = thumb;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = grey[y * width + (mirrored ? width - 1 - x : x)]!;
  return { width, height, data };
}

/** Keypoints of every pyramid level, pooled, in level-0 coordinates. */
export function extractKeypoints(plane: GreyPlane): KeypointSet {
  const xs: number[] = [];
  const ys: number[] = [];
  const words: number[] = [];
  const base = smooth(plane);
  LEVELS.forEach((scale, level) => {
    const img = scale === 1 ? base : smooth(resize(base, scale));
    const corners = harrisCorners(img, MAX_PER_LEVEL[level]!);
    const sx = plane.width / img.width;
    const sy = plane.height / img.height;
    for (const [cx, cy] of corners) {
      const angle = orientation(img, cx, cy);
      describe(img, cx, cy, angle, words);
      xs.push(cx * sx);
      ys.push(cy * sy);
    }
  });
  return {
    width: plane.width,
    height: plane.height,
    count: xs.length,
    x: Float32Array.from(xs),
    y: Float32Array.from(ys),
    descriptors: Uint32Array.from(words),
  };
}

/** Separable binomial blur [1 4 6 4 1] / 16 with clamped edges. */
export function smooth(img: GreyPlane): GreyPlane {
  const { width: w, height: h, data } = img;
  const k = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -2; d <= 2; d++) s += k[d + 2]! * data[y * w + Math.min(w - 1, Math.max(0, x + d))]!;
      tmp[y * w + x] = s;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -2; d <= 2; d++) s += k[d + 2]! * tmp[Math.min(h - 1, Math.max(0, y + d)) * w + x]!;
      out[y * w + x] = s;
    }
  return { width: w, height: h, data: out };
}

function resize(img: GreyPlane, scale: number): GreyPlane {
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) out[y * w + x] = sample(img, ((x + 0.5) * img.width) / w - 0.5, ((y + 0.5) * img.height) / h - 0.5);
  return { width: w, height: h, data: out };
}

/** Bilinear sample with clamped edges. */
export function sample(img: GreyPlane, x: number, y: number): number {
  const { width: w, height: h, data } = img;
  const cx = Math.min(w - 1, Math.max(0, x));
  const cy = Math.min(h - 1, Math.max(0, y));
  const x0 = Math.min(w - 2, Math.floor(cx));
  const y0 = Math.min(h - 2, Math.floor(cy));
  if (x0 < 0 || y0 < 0) return data[Math.round(cy) * w + Math.round(cx)]!;
  const fx = cx - x0;
  const fy = cy - y0;
  const i = y0 * w + x0;
  return (data[i]! * (1 - fx) + data[i + 1]! * fx) * (1 - fy) + (data[i + w]! * (1 - fx) + data[i + w + 1]! * fx) * fy;
}

/** The strongest Harris corners (5x5 window, local maxima over 5x5), at least MARGIN from the border. */
function harrisCorners(img: GreyPlane, max: number): [number, number][] {
  const { width: w, height: h, data } = img;
  if (w <= 2 * MARGIN || h <= 2 * MARGIN) return [];
  const xx = new Float32Array(w * h);
  const yy = new Float32Array(w * h);
  const xy = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = (data[i + 1]! - data[i - 1]!) / 2;
      const gy = (data[i + w]! - data[i - w]!) / 2;
      xx[i] = gx * gx;
      yy[i] = gy * gy;
      xy[i] = gx * gy;
    }
  const response = new Float32Array(w * h);
  let peak = 0;
  for (let y = MARGIN; y < h - MARGIN; y++)
    for (let x = MARGIN; x < w - MARGIN; x++) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const j = (y + dy) * w + x + dx;
          a += xx[j]!;
          b += yy[j]!;
          c += xy[j]!;
        }
      const r = a * b - c * c - 0.04 * (a + b) * (a + b);
      response[y * w + x] = r;
      if (r > peak) peak = r;
    }
  const floor = peak * 1e-3;
  const found: [number, number, number][] = [];
  for (let y = MARGIN; y < h - MARGIN; y++)
    for (let x = MARGIN; x < w - MARGIN; x++) {
      const r = response[y * w + x]!;
      if (r <= floor) continue;
      let isMax = true;
      for (let dy = -2; dy <= 2 && isMax; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const n = response[(y + dy) * w + x + dx]!;
          // Equal responses: the first in reading order wins, so a plateau gives one corner.
          if (n > r || (n === r && (dy < 0 || (dy === 0 && dx < 0)))) {
            isMax = false;
            break;
          }
        }
      if (isMax) found.push([x, y, r]);
    }
  found.sort((p, q) => q[2] - p[2] || p[1] - q[1] || p[0] - q[0]);
  return found.slice(0, max).map(([x, y]) => [x, y]);
}

/** Direction from the keypoint to the intensity centroid of its disc. */
function orientation(img: GreyPlane, cx: number, cy: number): number {
  let mx = 0;
  let my = 0;
  const r = ORIENTATION_RADIUS;
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) {
      if (dx * dx + dy * dy > r * r) continue;
      const v = img.data[(cy + dy) * img.width + cx + dx]!;
      mx += dx * v;
      my += dy * v;
    }
  return Math.atan2(my, mx);
}

function describe(img: GreyPlane, cx: number, cy: number, angle: number, out: number[]): void {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let word = 0; word < DESCRIPTOR_WORDS; word++) {
    let bits = 0;
    for (let b = 0; b < 32; b++) {
      const p = (word * 32 + b) * 4;
      const ax = PATTERN[p]!;
      const ay = PATTERN[p + 1]!;
      const bx = PATTERN[p + 2]!;
      const by = PATTERN[p + 3]!;
      const va = sample(img, cx + cos * ax - sin * ay, cy + sin * ax + cos * ay);
      const vb = sample(img, cx + cos * bx - sin * by, cy + sin * bx + cos * by);
      if (va < vb) bits |= 1 << b;
    }
    out.push(bits >>> 0);
  }
}
