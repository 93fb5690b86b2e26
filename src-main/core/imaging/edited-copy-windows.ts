// Hash targets for two edits the axis-aligned regions cannot reach, both synthesised from the original:
//  - straightened copies: a photo turned by a few degrees and trimmed to the largest upright rectangle (what every
//    editor's "straighten" does) is, in the original's frame, a centred window turned by that angle; the upright
//    pHash moves past the threshold beyond ~4 degrees. Windows sampled along turned grids meet the copy's hash.
//  - captioned copies: a white band laid over the bottom of the picture; the original's picture with such a band
//    painted in meets the copy's hash (the caption's letters are fine detail the 8x8 DCT barely sees).
// Each is one more 64-bit target in the ordinary join (no change to the index); the content check then decides.
import type { LumaIntegral } from './grey-resample';

/**
 * Turn angles of the windows in degrees, both ways. Measured on the tune half (12 photos straightened by 3-15
 * degrees): a window catches copies within ~3 degrees of its angle at distance <= 10, the upright hash those up to
 * ~4 degrees, so 5, 9 and 13 cover 3-15 degrees.
 */
export const TURNED_WINDOW_DEGREES = [-13, -9, -5, 5, 9, 13] as const;
/**
 * Height of the painted caption band as a share of the picture: 4 of the hash's 32 rows. Copies with a white band
 * of 10-15% measure 0-8 bits from it on the tune half (0-16 from the plain picture).
 */
export const CAPTION_BAND_SHARE = 0.125;
const CAPTION_GREY = 255;
/** Targets appended after the axis-aligned regions of every fingerprint, in this order: turned windows, caption. */
export const EDITED_COPY_WINDOWS = TURNED_WINDOW_DEGREES.length + 1;

/** The w x h grey pictures of every edited-copy target, in EDITED_COPY_WINDOWS order. */
export function editedCopyTargets(integral: LumaIntegral, whole: Float64Array, w: number, h: number): Float64Array[] {
  return [...TURNED_WINDOW_DEGREES.map((d) => resampleTurnedWindow(integral, d, w, h)), withCaptionBand(whole, w, h)];
}

/** The picture (already resampled to w x h) with its bottom CAPTION_BAND_SHARE painted white. */
export function withCaptionBand(whole: Float64Array, w: number, h: number): Float64Array {
  const out = Float64Array.from(whole);
  const rows = Math.round(h * CAPTION_BAND_SHARE);
  out.fill(CAPTION_GREY, (h - rows) * w, h * w);
  return out;
}

/** Side of the largest upright rectangle of the frame's aspect inside the frame turned by `degrees`, as a fraction. */
export function straightenedFraction(width: number, height: number, degrees: number): number {
  const a = (Math.abs(degrees) * Math.PI) / 180;
  return 1 / (Math.cos(a) + Math.sin(a) * Math.max(width / height, height / width));
}

/**
 * The w x h grey picture of the centred window turned by `degrees` (clockwise on screen, y down) that a copy
 * straightened by that angle shows: each output cell is the box average of the axis-aligned cell of the same size
 * centred where the turned grid puts it (at a few degrees the two cells differ by a sliver).
 */
export function resampleTurnedWindow(integral: LumaIntegral, degrees: number, w: number, h: number): Float64Array {
  const { width, height, sums } = integral;
  const stride = width + 1;
  const f = straightenedFraction(width, height, degrees);
  const ww = width * f;
  const wh = height * f;
  const cw = ww / w;
  const ch = wh / h;
  // The copy's pixel at (u, v) from its centre came from the original's point R(-angle)(u, v) from its centre.
  const t = (-degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = (x + 0.5) * cw - ww / 2;
      const v = (y + 0.5) * ch - wh / 2;
      const px = width / 2 + cos * u - sin * v;
      const py = height / 2 + sin * u + cos * v;
      const x0 = clamp(Math.round(px - cw / 2), 0, width - 1);
      const y0 = clamp(Math.round(py - ch / 2), 0, height - 1);
      const x1 = clamp(Math.max(x0 + 1, Math.round(px + cw / 2)), 1, width);
      const y1 = clamp(Math.max(y0 + 1, Math.round(py + ch / 2)), 1, height);
      const sum = sums[y1 * stride + x1]! - sums[y0 * stride + x1]! - sums[y1 * stride + x0]! + sums[y0 * stride + x0]!;
      out[y * w + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
