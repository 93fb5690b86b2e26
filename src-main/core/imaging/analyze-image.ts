// The decode-once pipeline for one file: validate, decode, hash, score quality, describe, write derivatives.
import sharp, { type Metadata } from 'sharp';
import {
  DERIVATIVE_SIZES,
  HQ_MIN_LONG_EDGE,
  HQ_MIN_SCORE,
  MAX_ASPECT_RATIO,
  MAX_PIXELS,
  MIN_DIMENSION_PX,
  QUALITY_VERSION,
} from '../../../src-shared/defaults';
import type { ExifSummary, ImageFormat, QualityComponents } from '../../../src-shared/model';
import { computeFingerprint, FINGERPRINT_VERSION, perceptualHashOf } from './fingerprint';
import { computeMatchThumbnail, encodeMatchThumbnail } from './match-thumbnail';
import { SporeprintError } from '../errors';
import { renderDerivativeLadder, writeDerivatives, type RawImage } from './derivatives';
import { decodeUpright, errorText, SHARP_INPUT } from './decode';
import { describeRawImage } from './descriptor';
import { readExifSummary } from './exif';
import { scoreQualityOfLadder } from './score-quality';
import { sniffImageFormat } from './sniff-format';

export interface ImageAnalysis {
  format: ImageFormat;
  width: number;
  height: number;
  perceptualHash: string;
  fingerprint: Uint8Array;
  fingerprintVersion: number;
  /** The 128 px grey rendition the near-duplicate content check reads (duplicates/verify). */
  matchThumbnail: Uint8Array;
  qualityScore: number;
  /** QUALITY_VERSION of the formulas that scored it. */
  qualityVersion: number;
  quality: QualityComponents;
  isHq: boolean;
  exif: ExifSummary;
  exifJson: string | null;
  derivatives: Record<string, string>;
  /** The model-free descriptor vector (similar-image search), from the 320 px rendition. */
  descriptor: Float32Array;
}

/** `tempDir`: where derivative files are written before being renamed into place (one per run). */
export async function analyzeImage(
  bytes: Buffer,
  sha256: string,
  libraryDir: string,
  filePath: string,
  tempDir?: string,
): Promise<ImageAnalysis> {
  const format = sniffImageFormat(bytes.subarray(0, 32));
  if (!format) throw new SporeprintError('UNSUPPORTED_FORMAT', 'not a JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF image', filePath);

  const { width, height } = await readOrientedSize(bytes, filePath);
  if (width < MIN_DIMENSION_PX || height < MIN_DIMENSION_PX)
    throw new SporeprintError('TOO_SMALL', `${width}x${height} is smaller than ${MIN_DIMENSION_PX} px on a side`, filePath);
  // From the header, before any decode: a 32 x 3,000,000 strip is within the pixel limit but is no photograph.
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (aspect > MAX_ASPECT_RATIO)
    throw new SporeprintError(
      'EXTREME_ASPECT_RATIO',
      `${width}x${height} has an aspect ratio of 1:${Math.round(aspect)}, beyond the 1:${MAX_ASPECT_RATIO} limit`,
      filePath,
    );
  if (width * height > MAX_PIXELS)
    throw new SporeprintError(
      'TOO_MANY_PIXELS',
      `${width}x${height} exceeds ${MAX_PIXELS / 1e6} megapixels (decompression bomb guard)`,
      filePath,
    );

  const base = await decodeForDerivatives(bytes, filePath);
  const ladder = await renderDerivativeLadder(base);
  // The fingerprint holds the plain pHash too (computed from the 320 px rendition, no extra resize).
  const fingerprint = computeFingerprint(ladder);
  const quality = await scoreQualityOfLadder(width, height, ladder);
  const descriptor = await describeRawImage(ladder.small);
  const derivatives = await writeDerivatives(libraryDir, sha256, ladder, tempDir);
  const exif = await readExifSummary(bytes);

  return {
    format,
    width,
    height,
    perceptualHash: perceptualHashOf(fingerprint),
    fingerprint,
    fingerprintVersion: FINGERPRINT_VERSION,
    matchThumbnail: encodeMatchThumbnail(computeMatchThumbnail(ladder.small)),
    qualityScore: quality.score,
    qualityVersion: QUALITY_VERSION,
    quality: quality.components,
    isHq: Math.max(width, height) >= HQ_MIN_LONG_EDGE && quality.score >= HQ_MIN_SCORE,
    exif: exif.summary,
    exifJson: exif.raw ? JSON.stringify(exif.raw) : null,
    derivatives,
    descriptor,
  };
}

/** Header-only read; dimensions after EXIF orientation (5-8 swap width and height). */
async function readOrientedSize(bytes: Buffer, filePath: string): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    // Header only: the pixel limit is checked by us afterwards so that a bomb is reported as one.
    meta = await sharp(bytes, { ...SHARP_INPUT, limitInputPixels: false }).metadata();
  } catch (err) {
    throw new SporeprintError('CORRUPT_IMAGE', `cannot read image header (${errorText(err)})`, filePath);
  }
  if (!meta.width || !meta.height) throw new SporeprintError('CORRUPT_IMAGE', 'image header has no dimensions', filePath);
  const swapped = (meta.orientation ?? 1) >= 5;
  return swapped ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}

/** The one decode for derivatives: at most the largest derivative size (see decodeUpright). */
export function decodeForDerivatives(bytes: Buffer, filePath: string): Promise<RawImage> {
  return decodeUpright(bytes, DERIVATIVE_SIZES.large, filePath);
}
