// The quality scorer as it was before issue 14 (version 1), kept only as the baseline of bench:quality.
import {
  CLIPPED_FRACTION_ZERO,
  FULL_RESOLUTION_PX,
  NOISE_SIGMA_ZERO,
  QUALITY_WEIGHTS,
  SATURATION_FULL,
  SHARPNESS_FULL_VARIANCE,
} from '../../src-shared/defaults';

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

/** Robust noise sigma (grey levels): median absolute finest-scale diagonal Haar coefficient / 0.6745 (Donoho). */
export function estimateNoiseSigma(grey: GreyImage): number {
  const { data, width, height } = grey;
  // |a - b - c + d| is an integer in 0..510, so a histogram gives the exact median in linear time.
  const histogram = new Uint32Array(511);
  let count = 0;
  for (let y = 0; y + 1 < height; y += 2)
    for (let x = 0; x + 1 < width; x += 2) {
      const i = y * width + x;
      histogram[Math.abs(data[i]! - data[i + 1]! - data[i + width]! + data[i + width + 1]!)]!++;
      count++;
    }
  if (count === 0) return 0;
  return medianOfHistogram(histogram, count) / 2 / 0.6745;
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
 * Sharpness from the Laplacian variance with the part explained by noise removed (white noise of
 * sigma adds 20 sigma^2 to the variance of this kernel), so a noisy image does not look "sharp".
 */
export function scoreSharpness(grey: GreyImage, noiseSigma: number): number {
  const detail = Math.max(0, laplacianVariance(grey) - 20 * noiseSigma * noiseSigma);
  return 100 * clamp01(Math.log1p(detail) / Math.log1p(SHARPNESS_FULL_VARIANCE));
}

export function scoreNoise(noiseSigma: number): number {
  return 100 * clamp01(1 - noiseSigma / NOISE_SIGMA_ZERO);
}

/** Colour/exposure: half mean HSV saturation, half the share of pixels not clipped to black or white. */
export function scoreColour(rgb: RgbImage): number {
  const { data, channels } = rgb;
  const pixels = data.length / channels;
  if (pixels === 0) return 0;
  let saturation = 0;
  let clipped = 0;
  for (let i = 0; i < data.length; i += channels) {
    const r = data[i]!;
    const g = channels >= 3 ? data[i + 1]! : r;
    const b = channels >= 3 ? data[i + 2]! : r;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    saturation += max === 0 ? 0 : (max - min) / max;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    if (luma <= 3 || luma >= 252) clipped++;
  }
  const saturationPart = clamp01(saturation / pixels / SATURATION_FULL);
  const exposurePart = clamp01(1 - clipped / pixels / CLIPPED_FRACTION_ZERO);
  return 100 * (0.5 * saturationPart + 0.5 * exposurePart);
}

export interface QualityInputs {
  width: number;
  height: number;
  /** Grey image at the fixed analysis size. */
  analysis: GreyImage;
  /** A small colour rendition for colour statistics. */
  colour: RgbImage;
}

export function computeQualityV1(inputs: QualityInputs): { score: number } {
  const sigma = estimateNoiseSigma(inputs.analysis);
  const components = {
    resolution: round1(scoreResolution(inputs.width, inputs.height)),
    sharpness: round1(scoreSharpness(inputs.analysis, sigma)),
    noise: round1(scoreNoise(sigma)),
    colour: round1(scoreColour(inputs.colour)),
  };
  const score =
    QUALITY_WEIGHTS.resolution * components.resolution +
    QUALITY_WEIGHTS.sharpness * components.sharpness +
    QUALITY_WEIGHTS.noise * components.noise +
    QUALITY_WEIGHTS.colour * components.colour;
  return { score: round1(score) };
}
