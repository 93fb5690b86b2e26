// Encodes the derivative ladder (thumb/small/medium/large x JPEG/WebP) by cascading down from one decode.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import {
  DERIVATIVE_FORMATS,
  DERIVATIVE_NAMES,
  DERIVATIVE_SIZES,
  JPEG_QUALITY,
  WEBP_QUALITY,
  type DerivativeFormat,
  type DerivativeSize,
} from '../../../src-shared/defaults';
import { ioFault } from '../files/io-fault';
import { derivativeDirectory, derivativeRelativePath, TEMP_DIR } from '../library-paths';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Resizes a raw image so its long edge is at most `longEdge` (never enlarging). */
export async function resizeRaw(image: RawImage, longEdge: number): Promise<RawImage> {
  if (Math.max(image.width, image.height) <= longEdge) return image;
  const { data, info } = await sharp(image.data, { raw: rawOptions(image) })
    .resize({ width: longEdge, height: longEdge, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export async function squareThumbnail(image: RawImage, side: number): Promise<RawImage> {
  const { data, info } = await sharp(image.data, { raw: rawOptions(image) })
    .resize({ width: side, height: side, fit: 'cover', position: 'attention' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export function encodeRaw(image: RawImage, format: DerivativeFormat): Promise<Buffer> {
  const pipeline = sharp(image.data, { raw: rawOptions(image) });
  return format === 'jpeg'
    ? pipeline.jpeg({ quality: JPEG_QUALITY, mozjpeg: false }).toBuffer()
    : pipeline.webp({ quality: WEBP_QUALITY }).toBuffer();
}

/** The raw rendition of every derivative size, each made from the next larger one. */
export async function renderDerivativeLadder(base: RawImage): Promise<Record<DerivativeSize, RawImage>> {
  const large = await resizeRaw(base, DERIVATIVE_SIZES.large);
  const medium = await resizeRaw(large, DERIVATIVE_SIZES.medium);
  const small = await resizeRaw(medium, DERIVATIVE_SIZES.small);
  // A very elongated image may have a short edge under the thumbnail size at 320 px; crop from 640 then.
  const thumbSource = Math.min(small.width, small.height) >= DERIVATIVE_SIZES.thumb ? small : medium;
  const thumb = await squareThumbnail(thumbSource, DERIVATIVE_SIZES.thumb);
  return { thumb, small, medium, large };
}

/**
 * Writes all 8 derivative files for a content hash unless they already exist (content-addressed, so an
 * existing file is the right file). Each file is written to the temp folder and renamed into place.
 *
 * The file calls are synchronous on purpose: this runs on a decode worker thread, where blocking costs nothing,
 * while every async call is a round trip through libuv's thread pool, whose threads sharp's pipelines also wait
 * in. Measured on ../shared/data/hq: the per-file time with 2 workers grew 22% over 1 worker with async calls,
 * 16% with these.
 */
export async function writeDerivatives(
  libraryDir: string,
  sha256: string,
  ladder: Record<DerivativeSize, RawImage>,
  tempDir = path.join(libraryDir, TEMP_DIR, String(process.pid)),
): Promise<Record<string, string>> {
  const written: Record<string, string> = {};
  const folder = path.join(libraryDir, derivativeDirectory(sha256));
  // All 8 files share one folder: when it is absent (the usual case) there is nothing to look for.
  const folderExisted = existsSync(folder);
  writeOrFault(() => mkdirSync(tempDir, { recursive: true }), tempDir);
  for (const size of DERIVATIVE_NAMES) {
    for (const format of DERIVATIVE_FORMATS) {
      const relative = derivativeRelativePath(sha256, size, format);
      written[`${size}.${format}`] = relative;
      const target = path.join(libraryDir, relative);
      if (folderExisted && existsSync(target)) continue;
      const bytes = await encodeRaw(ladder[size], format);
      const temp = path.join(tempDir, `${sha256}-${size}.${format}.${randomBytes(4).toString('hex')}`);
      writeOrFault(() => {
        mkdirSync(folder, { recursive: true });
        writeFileSync(temp, bytes);
        renameSync(temp, target);
      }, target);
    }
  }
  return written;
}

/** A failed write is about the library's disk, not the photo: DISK_FULL or IO_FAILED, never CORRUPT_IMAGE. */
function writeOrFault(write: () => void, target: string): void {
  try {
    write();
  } catch (err) {
    throw ioFault(err, target, 'write a derivative');
  }
}

function rawOptions(image: RawImage) {
  return { width: image.width, height: image.height, channels: image.channels };
}
