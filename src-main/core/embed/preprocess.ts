// Image preprocessing shared by providers: validation and the square, padded RGB input CLIP-style models take.
import sharp from 'sharp';
import { DEFAULT_IMAGE_TARGET_SIZE, DEFAULT_MAX_FILE_MB } from '../../../src-shared/defaults';

export interface RgbImage {
  /** Interleaved RGB, width * height * 3 bytes. */
  data: Uint8Array;
  width: number;
  height: number;
}

export type ValidationResult = { ok: true; error: null } | { ok: false; error: string };

const MIN_EDGE = 8;

/** Checks that the bytes are a decodable image within the size limit, without decoding the pixels. */
export async function validateImage(bytes: Uint8Array, maxSizeMb = DEFAULT_MAX_FILE_MB): Promise<ValidationResult> {
  if (bytes.byteLength === 0) return { ok: false, error: 'image is empty' };
  if (bytes.byteLength > maxSizeMb * 1024 * 1024) {
    return { ok: false, error: `image is ${(bytes.byteLength / 1048576).toFixed(1)} MB, over the ${maxSizeMb} MB limit` };
  }
  try {
    const meta = await sharp(bytes, { failOn: 'error' }).metadata();
    if (!meta.width || !meta.height) return { ok: false, error: 'image has no dimensions' };
    if (meta.width < MIN_EDGE || meta.height < MIN_EDGE)
      return { ok: false, error: `image is ${meta.width}x${meta.height}, too small to embed` };
    return { ok: true, error: null };
  } catch (err) {
    return { ok: false, error: `not a readable image (${(err as Error).message})` };
  }
}

/**
 * Fits the whole image into a size x size square (aspect preserved, letterboxed with black) as RGB.
 * Alpha is flattened onto black, grey is expanded, CMYK is converted via sharp's colour management, and
 * EXIF orientation is applied, so every provider sees the photo the way the user does.
 */
export async function resizeForEmbedding(bytes: Uint8Array, size = DEFAULT_IMAGE_TARGET_SIZE): Promise<RgbImage> {
  const { data, info } = await sharp(bytes, { failOn: 'error' })
    .rotate()
    .toColourspace('srgb')
    .flatten({ background: { r: 0, g: 0, b: 0 } })
    .resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0 }, kernel: 'cubic' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after preprocessing, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
