// Ground truth for the duplicates bench, independent of the product's content check: are two photographs of one
// observation the same capture (one a crop of the other's frame, uploaded alongside it)? Mushroom Observer users
// often upload a full frame and a close crop of it; a crop of a photo is a near-duplicate by the definition,
// so a cluster joining the two is right, and counting it as "different photographs" would blame the content check.
//
// The test is plain dense registration, no keypoints: the smaller field is scaled over a grid of scales, slid over
// every position of the wider one, and scored by normalised cross-correlation of band-passed grey (fine detail, so
// a shared coarse layout does not score), coarse to fine. A same-capture pair has one sharp peak; two shots of one
// specimen do not line up in fine detail anywhere.
import sharp from 'sharp';

export interface CaptureRegistration {
  /** Band-passed correlation at the best position and scale (256 px long edge of the wider field). */
  correlation: number;
  /** How large the smaller field appears in the wider one (its long edge over the wider one's). */
  scale: number;
  /** Which photo is the smaller field (the crop): 0 = the first argument. */
  crop: 0 | 1;
  /** Where the crop's top left corner lies in the wider photo, as fractions of its width and height. */
  left: number;
  top: number;
}

/**
 * Band-passed correlation at or above this is the same capture. On ../shared/data (2026-12-06): hydruf's close-up
 * is a crop of its full frame at 0.97; the next pairs are hercor (0.52: a closer shot of the same pieces, fine detail
 * 0.30 at 512 px) and hydalb (0.47: the same specimen shot again nearer, shadows moved); the rest 0.19-0.48, most at
 * the smallest scale, where the template is a few dozen pixels. Borderline pairs stay negatives: the bench then
 * blames the content check, never excuses it.
 */
export const SAME_CAPTURE_CORRELATION = 0.6;

interface Grey {
  width: number;
  height: number;
  data: Float32Array;
}

async function greyOf(bytes: Buffer, longEdge: number): Promise<Grey> {
  const { data, info } = await sharp(bytes)
    .resize({ width: longEdge, height: longEdge, fit: 'inside' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: Float32Array.from(data) };
}

async function greyScaled(bytes: Buffer, width: number, height: number): Promise<Grey> {
  const { data, info } = await sharp(bytes).resize({ width, height, fit: 'fill' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: Float32Array.from(data) };
}

/** Detail between ~1 and ~4 px: a 3x3 box blur minus a 9x9 one. */
function bandPass(img: Grey): Grey {
  const { width: w, height: h } = img;
  const blur = (src: Float32Array, r: number) => boxBlur(boxBlur(src, w, h, r, 1, w), w, h, r, w, 1);
  const fine = blur(img.data, 1);
  const coarse = blur(img.data, 4);
  const data = new Float32Array(fine.length);
  for (let i = 0; i < data.length; i++) data[i] = fine[i]! - coarse[i]!;
  return { width: w, height: h, data };
}

/**
 * Mean over +-r samples along one axis (`step` apart in the array: 1 along rows, w along columns), `lines` lines
 * `across` apart; the window is cut at the edges.
 */
function boxBlur(src: Float32Array, w: number, h: number, r: number, step: number, across: number): Float32Array {
  const out = new Float32Array(w * h);
  const [length, lines] = step === 1 ? [w, h] : [h, w];
  for (let line = 0; line < lines; line++)
    for (let i = 0; i < length; i++) {
      let sum = 0;
      let n = 0;
      for (let k = Math.max(0, i - r); k <= Math.min(length - 1, i + r); k++, n++) sum += src[line * across + k * step]!;
      out[line * across + i * step] = sum / n;
    }
  return out;
}

/** Correlation of `t` placed at (ox, oy) in `f`, over t's inner part (a margin of 4 px left out: the blur's rim). */
function correlationAt(f: Grey, t: Grey, ox: number, oy: number, step: number): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let y = 4; y < t.height - 4; y += step)
    for (let x = 4; x < t.width - 4; x += step) {
      const a = t.data[y * t.width + x]!;
      const b = f.data[(y + oy) * f.width + x + ox]!;
      n++;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
  const den = Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
  return den > 0 ? (sab - (sa * sb) / n) / den : 0;
}

interface Peak {
  correlation: number;
  scale: number;
  x: number;
  y: number;
  /** The wide field's size at the searched resolution. */
  width: number;
  height: number;
}

/** Best placement of `small` (its full frame) inside `wide` over the scale grid, at the wide field's `edge` px. */
async function bestPlacement(small: Buffer, wide: Buffer, edge: number, scales: number[], step: number, around?: Peak): Promise<Peak> {
  const field = bandPass(await greyOf(wide, edge));
  const meta = await sharp(small).metadata();
  const aspect = (meta.height ?? 1) / (meta.width ?? 1);
  const long = Math.max(field.width, field.height);
  let best: Peak = { correlation: -1, scale: 0, x: 0, y: 0, width: field.width, height: field.height };
  for (const scale of scales) {
    const width = Math.round((aspect <= 1 ? long * scale : (long * scale) / aspect) * 1);
    const height = Math.round(width * aspect);
    if (width < 16 || height < 16 || width > field.width || height > field.height) continue;
    const template = bandPass(await greyScaled(small, width, height));
    const [x0, x1, y0, y1] = around
      ? [around.x * (edge / 128) - 3, around.x * (edge / 128) + 3, around.y * (edge / 128) - 3, around.y * (edge / 128) + 3]
      : [0, field.width - width, 0, field.height - height];
    for (let oy = Math.max(0, Math.round(y0)); oy <= Math.min(field.height - height, Math.round(y1)); oy++)
      for (let ox = Math.max(0, Math.round(x0)); ox <= Math.min(field.width - width, Math.round(x1)); ox++) {
        const r = correlationAt(field, template, ox, oy, step);
        if (r > best.correlation) best = { ...best, correlation: r, scale, x: ox, y: oy };
      }
  }
  return best;
}

/**
 * Registers the two photos both ways (either may be the crop) with no rotation: a crop uploaded alongside its frame
 * keeps the frame's orientation. Coarse search at 128 px over scales 0.2-1 (4 % apart), refined at 256 px over
 * +-3 % of scale (0.5 % apart) and +-3 px.
 */
export async function registerCapture(a: Buffer, b: Buffer): Promise<CaptureRegistration> {
  const scales: number[] = [];
  for (let s = 0.2; s <= 1.0001; s *= 1.04) scales.push(s);
  let out: CaptureRegistration = { correlation: -1, scale: 0, crop: 0, left: 0, top: 0 };
  for (const crop of [0, 1] as const) {
    const [small, wide] = crop === 0 ? [a, b] : [b, a];
    const coarse = await bestPlacement(small, wide, 128, scales, 2);
    const fine = Array.from({ length: 13 }, (_, k) => coarse.scale * 1.005 ** (k - 6));
    const refined = await bestPlacement(small, wide, 256, fine, 1, coarse);
    if (refined.correlation > out.correlation)
      out = {
        correlation: refined.correlation,
        scale: refined.scale,
        crop,
        left: refined.x / refined.width,
        top: refined.y / refined.height,
      };
  }
  return out;
}
