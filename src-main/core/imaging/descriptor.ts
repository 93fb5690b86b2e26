// The built-in, model-free image descriptor: colour histogram, gradient texture and a coarse layout grid.
// Pure pixel arithmetic on a 64 x 64 rendition, so the decode worker computes it from the picture it already
// decoded at ingest, and the provider computes the same from encoded bytes (backfill, search by an image file).
import sharp from 'sharp';
import { DERIVATIVE_SIZES } from '../../../src-shared/defaults';
import { l2Normalize } from '../vector/vector-math';
import { decodeUpright } from './decode';
import type { RawImage } from './derivatives';

const SIDE = 64;
const HUE_BINS = 12;
const VALUE_BINS = 2;
const GREY_BINS = 4;
const COLOUR_SIZE = HUE_BINS * VALUE_BINS + GREY_BINS;
const GRID = 4;
const LAYOUT_SIZE = GRID * GRID * 3;
const ORIENTATIONS = 8;
const TEXTURE_CELLS = 2;
const TEXTURE_SIZE = TEXTURE_CELLS * TEXTURE_CELLS * ORIENTATIONS + 1;
export const DESCRIPTOR_SIZE = COLOUR_SIZE + LAYOUT_SIZE + TEXTURE_SIZE;

// Relative weight of each block after per-block normalisation: colour identifies species best in
// field photos, texture (gills vs pores vs smooth caps) next, layout mostly catches re-crops.
const WEIGHTS = { colour: 1, texture: 0.8, layout: 0.6 } as const;

function colourHistogram(rgb: Uint8Array): Float32Array {
  const hist = new Float32Array(COLOUR_SIZE);
  for (let p = 0; p < rgb.length; p += 3) {
    const r = rgb[p]! / 255;
    const g = rgb[p + 1]! / 255;
    const b = rgb[p + 2]! / 255;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const chroma = max - min;
    const sat = max === 0 ? 0 : chroma / max;
    if (sat < 0.15 || max < 0.08) {
      hist[HUE_BINS * VALUE_BINS + Math.min(GREY_BINS - 1, Math.floor(max * GREY_BINS))]! += 1;
      continue;
    }
    let hue = max === r ? (g - b) / chroma : max === g ? 2 + (b - r) / chroma : 4 + (r - g) / chroma;
    hue = (((hue / 6) % 1) + 1) % 1;
    const h = Math.min(HUE_BINS - 1, Math.floor(hue * HUE_BINS));
    const v = max < 0.55 ? 0 : 1;
    hist[h * VALUE_BINS + v]! += 1;
  }
  // Square roots (Hellinger) so a dominant background colour does not swamp the fungus.
  for (let i = 0; i < hist.length; i++) hist[i] = Math.sqrt(hist[i]!);
  return hist;
}

function layoutGrid(rgb: Uint8Array): Float32Array {
  const grid = new Float32Array(LAYOUT_SIZE);
  const cell = SIDE / GRID;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const c = (Math.floor(y / cell) * GRID + Math.floor(x / cell)) * 3;
      const p = (y * SIDE + x) * 3;
      grid[c]! += rgb[p]!;
      grid[c + 1]! += rgb[p + 1]!;
      grid[c + 2]! += rgb[p + 2]!;
    }
  }
  // Centre on the mean so the layout block describes arrangement, not overall brightness.
  let mean = 0;
  for (let i = 0; i < grid.length; i++) mean += grid[i]!;
  mean /= grid.length;
  for (let i = 0; i < grid.length; i++) grid[i] = grid[i]! - mean;
  return grid;
}

function textureHistogram(rgb: Uint8Array): Float32Array {
  const grey = new Float32Array(SIDE * SIDE);
  for (let i = 0; i < grey.length; i++) grey[i] = 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!;
  const hist = new Float32Array(TEXTURE_SIZE);
  const cell = SIDE / TEXTURE_CELLS;
  let total = 0;
  for (let y = 1; y < SIDE - 1; y++) {
    for (let x = 1; x < SIDE - 1; x++) {
      const gx = grey[y * SIDE + x + 1]! - grey[y * SIDE + x - 1]!;
      const gy = grey[(y + 1) * SIDE + x]! - grey[(y - 1) * SIDE + x]!;
      const magnitude = Math.hypot(gx, gy);
      // Orientation modulo pi: an edge and its reverse are the same texture.
      const angle = (Math.atan2(gy, gx) + Math.PI) % Math.PI;
      const o = Math.min(ORIENTATIONS - 1, Math.floor((angle / Math.PI) * ORIENTATIONS));
      const c = Math.floor(y / cell) * TEXTURE_CELLS + Math.floor(x / cell);
      hist[c * ORIENTATIONS + o]! += magnitude;
      total += magnitude;
    }
  }
  const count = (SIDE - 2) * (SIDE - 2);
  for (let i = 0; i < TEXTURE_SIZE - 1; i++) hist[i] = total > 0 ? hist[i]! / total : 0;
  // Mean gradient magnitude: smooth caps versus busy gills, independent of orientation.
  hist[TEXTURE_SIZE - 1] = Math.min(1, total / count / 64);
  return hist;
}

function weighted(block: Float32Array, weight: number): Float32Array {
  l2Normalize(block);
  for (let i = 0; i < block.length; i++) block[i] = block[i]! * weight;
  return block;
}

/** The descriptor of an RGB SIDE x SIDE image. */
export function describePixels(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(DESCRIPTOR_SIZE);
  out.set(weighted(colourHistogram(rgb), WEIGHTS.colour), 0);
  out.set(weighted(layoutGrid(rgb), WEIGHTS.layout), COLOUR_SIZE);
  out.set(weighted(textureHistogram(rgb), WEIGHTS.texture), COLOUR_SIZE + LAYOUT_SIZE);
  return l2Normalize(out);
}

/** The descriptor of a decoded image (any size; resized to SIDE x SIDE, alpha dropped). */
export async function describeRawImage(image: RawImage): Promise<Float32Array> {
  const { width, height, channels } = image;
  const data = await sharp(image.data, { raw: { width, height, channels } })
    .resize(SIDE, SIDE, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  return describePixels(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * The descriptor of encoded image bytes, made the way ingest makes it: decoded upright at most at the 320 px
 * rendition ingest describes, then described like `describeRawImage`.
 */
export async function describeImage(bytes: Uint8Array): Promise<Float32Array> {
  return describeRawImage(await decodeUpright(bytes, DERIVATIVE_SIZES.small));
}
