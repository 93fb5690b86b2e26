// Quality score 0-100 from four weighted components (resolution, sharpness, noise and artefacts, colour and
// exposure); the formulas are documented in the README. Bump QUALITY_VERSION when a formula changes: libraries
// re-score images of an older version.
import {
  ARTEFACT_BLOCKINESS_CLEAN,
  ARTEFACT_BLOCKINESS_ZERO,
  CLIPPED_FRACTION_ZERO,
  DARK_MEAN_LUMA_FULL,
  FULL_RESOLUTION_PX,
  NOISE_SIGMA_ZERO,
  NOISE_TILE_PERCENTILE,
  NOISE_TILE_PX,
  QUALITY_WEIGHTS,
  SATURATION_FULL,
  SHARPNESS_FULL_VARIANCE,
  SHARPNESS_TILE_PX,
  SHARPNESS_TOP_TILE_SHARE,
} from '../../../src-shared/defaults';
import type { QualityComponents } from '../../../src-shared/model';
import { measureBlockiness } from './compression-artefacts';

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface RgbImage extends GreyImage {
  channels: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Resolution: linear in the long edge, full marks at FULL_RESOLUTION_PX. */
export function scoreResolution(width: number, height: number): number {
  return 100 * clamp01(Math.max(width, height) / FULL_RESOLUTION_PX);
}

/**
 * Robust noise sigma (grey levels) of the whole frame: Donoho's MAD estimate (median absolute finest-scale diagonal
 * Haar coefficient / 0.6745) per tile, and a low percentile over tiles. Texture inflates the estimate where it is,
 * while sensor noise is everywhere, so the smoothest tiles measure the noise (a frame-wide median reads fine
 * foliage as noise, and any smoothing damage as an improvement). Tiles mostly clipped to black or white are skipped.
 */
export function estimateNoiseSigma(grey: GreyImage): number {
  const { data, width, height } = grey;
  const tile = NOISE_TILE_PX;
  const columns = Math.max(1, Math.floor(width / tile));
  const rows = Math.max(1, Math.floor(height / tile));
  const sigmas: number[] = [];
  // |a - b - c + d| is an integer in 0..510, so a histogram gives the exact median in linear time.
  const histogram = new Uint32Array(511);
  for (let ty = 0; ty < rows; ty++)
    for (let tx = 0; tx < columns; tx++) {
      histogram.fill(0);
      let count = 0;
      let clipped = 0;
      const yEnd = ty === rows - 1 ? height : (ty + 1) * tile;
      const xEnd = tx === columns - 1 ? width : (tx + 1) * tile;
      for (let y = ty * tile; y + 1 < yEnd; y += 2)
        for (let x = tx * tile; x + 1 < xEnd; x += 2) {
          const i = y * width + x;
          histogram[Math.abs(data[i]! - data[i + 1]! - data[i + width]! + data[i + width + 1]!)]!++;
          count++;
          if (data[i]! <= 3 || data[i]! >= 252) clipped++;
        }
      // Clipped areas are flat because the sensor saturated, not because the image is clean.
      if (count > 0 && clipped * 2 < count) sigmas.push(medianOfHistogram(histogram, count) / 2 / 0.6745);
    }
  if (sigmas.length === 0) return 0;
  sigmas.sort((a, b) => a - b);
  return sigmas[Math.min(sigmas.length - 1, Math.floor(sigmas.length * NOISE_TILE_PERCENTILE))]!;
}

/** The median of `count` values given as a histogram of integer values (mean of the two middle ones). */
function medianOfHistogram(histogram: Uint32Array, count: number): number {
  const lowRank = (count - 1) >> 1;
  const highRank = count >> 1;
  let seen = 0;
  let low = -1;
  for (let value = 0; value < histogram.length; value++) {
    seen += histogram[value]!;
    if (low < 0 && seen > lowRank) low = value;
    if (seen > highRank) return (low + value) / 2;
  }
  return low;
}

/** Variance of the 4-neighbour Laplacian. */
export function laplacianVariance(grey: GreyImage): number {
  const { data, width, height } = grey;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * data[i]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/**
 * Laplacian variance per square tile (the last row and column of tiles take the remainder), with the part white
 * noise of sigma explains (20 sigma^2 for this kernel) removed.
 */
export function tileDetail(grey: GreyImage, noiseSigma: number, tile: number): number[] {
  const { data, width, height } = grey;
  const columns = Math.max(1, Math.floor((width - 2) / tile));
  const rows = Math.max(1, Math.floor((height - 2) / tile));
  const sum = new Float64Array(columns * rows);
  const sumSq = new Float64Array(columns * rows);
  const count = new Float64Array(columns * rows);
  for (let y = 1; y < height - 1; y++) {
    const ty = Math.min(rows - 1, Math.floor((y - 1) / tile));
    for (let x = 1; x < width - 1; x++) {
      const t = ty * columns + Math.min(columns - 1, Math.floor((x - 1) / tile));
      const i = y * width + x;
      const lap = data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * data[i]!;
      sum[t]! += lap;
      sumSq[t]! += lap * lap;
      count[t]!++;
    }
  }
  const noiseVariance = 20 * noiseSigma * noiseSigma;
  return Array.from(count, (n, t) => {
    if (n === 0) return 0;
    const mean = sum[t]! / n;
    return Math.max(0, sumSq[t]! / n - mean * mean - noiseVariance);
  });
}

/**
 * Subject-aware sharpness: the mean detail of the sharpest share of tiles, so a macro shot with a sharp subject on a
 * soft (bokeh) background scores like an all-sharp frame while a wholly blurred frame does not. Logarithmic,
 * ln(1 + v) / ln(1 + full), because real photos span two decades of Laplacian variance.
 */
export function scoreSharpness(grey: GreyImage, noiseSigma: number): number {
  const details = tileDetail(grey, noiseSigma, SHARPNESS_TILE_PX).sort((a, b) => b - a);
  const top = Math.max(1, Math.ceil(details.length * SHARPNESS_TOP_TILE_SHARE));
  let detail = 0;
  for (let i = 0; i < top; i++) detail += details[i]!;
  detail /= top;
  return 100 * clamp01(Math.log1p(detail) / Math.log1p(SHARPNESS_FULL_VARIANCE));
}

/** Compression artefacts: 100 below ARTEFACT_BLOCKINESS_CLEAN, falling linearly to 0 at ARTEFACT_BLOCKINESS_ZERO. */
export function scoreArtefacts(blockiness: number): number {
  return 100 * clamp01(1 - (blockiness - ARTEFACT_BLOCKINESS_CLEAN) / (ARTEFACT_BLOCKINESS_ZERO - ARTEFACT_BLOCKINESS_CLEAN));
}

export function scoreNoise(noiseSigma: number): number {
  return 100 * clamp01(1 - noiseSigma / NOISE_SIGMA_ZERO);
}

/** Colour/exposure: half mean HSV saturation, half exposure (pixels not clipped to black or white, times a dark-frame factor). */
export function scoreColour(rgb: RgbImage): number {
  const { data, channels } = rgb;
  const pixels = data.length / channels;
  if (pixels === 0) return 0;
  let saturation = 0;
  let clipped = 0;
  let lumaSum = 0;
  for (let i = 0; i < data.length; i += channels) {
    const r = data[i]!;
    const g = channels >= 3 ? data[i + 1]! : r;
    const b = channels >= 3 ? data[i + 2]! : r;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    saturation += max === 0 ? 0 : (max - min) / max;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    lumaSum += luma;
    if (luma <= 3 || luma >= 252) clipped++;
  }
  const saturationPart = clamp01(saturation / pixels / SATURATION_FULL);
  // Underexposure darkens without clipping much, and keeps HSV saturation: the mean luma catches it.
  const exposurePart = clamp01(1 - clipped / pixels / CLIPPED_FRACTION_ZERO) * clamp01(lumaSum / pixels / DARK_MEAN_LUMA_FULL);
  return 100 * (0.5 * saturationPart + 0.5 * exposurePart);
}

export interface QualityInputs {
  width: number;
  height: number;
  /** Grey image at the fixed analysis size. */
  analysis: GreyImage;
  /** Grey image at the decoded resolution (at most the large derivative), where compression blocks are whole pixels. */
  native: GreyImage;
  /** A small colour rendition for colour statistics. */
  colour: RgbImage;
}

export function computeQuality(inputs: QualityInputs): { score: number; components: QualityComponents } {
  const sigma = estimateNoiseSigma(inputs.analysis);
  const artefacts = scoreArtefacts(measureBlockiness(inputs.native));
  const components: QualityComponents = {
    resolution: round1(scoreResolution(inputs.width, inputs.height)),
    // Part of a blocky image's detail is block edges, and the fine detail inside the blocks is gone.
    sharpness: round1(scoreSharpness(inputs.analysis, sigma) * (0.5 + 0.5 * (artefacts / 100))),
    noise: round1(scoreNoise(sigma)),
    colour: round1(scoreColour(inputs.colour)),
    artefacts: round1(artefacts),
  };
  return { score: round1(combineQuality(components)), components };
}

/** The weighted sum; noise and compression artefacts share one weight: the worse of the two counts. */
export function combineQuality(c: QualityComponents): number {
  return (
    QUALITY_WEIGHTS.resolution * c.resolution +
    QUALITY_WEIGHTS.sharpness * c.sharpness +
    QUALITY_WEIGHTS.noise * Math.min(c.noise, c.artefacts) +
    QUALITY_WEIGHTS.colour * c.colour
  );
}
