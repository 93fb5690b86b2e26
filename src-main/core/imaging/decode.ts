// Decoding as every rendition Sporeprint makes starts: orientation applied, alpha flattened on white, sRGB,
// shrunk to a long edge (JPEG and WebP shrink on load, so a 5640 px photo is never fully materialised).
import sharp from 'sharp';
import { MAX_PIXELS } from '../../../src-shared/defaults';
import { SporeprintError } from '../errors';
import type { RawImage } from './derivatives';

/** libvips refuses truncated and corrupt data instead of returning a half-grey picture. */
export const SHARP_INPUT = { failOn: 'error', limitInputPixels: MAX_PIXELS } as const;

export async function decodeUpright(bytes: Uint8Array, longEdge: number, filePath?: string): Promise<RawImage> {
  try {
    const { data, info } = await sharp(bytes, SHARP_INPUT)
      .rotate()
      .resize({ width: longEdge, height: longEdge, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (err) {
    throw new SporeprintError('CORRUPT_IMAGE', `cannot decode image (${errorText(err)})`, filePath);
  }
}

/** The first line of a library error, for a message that names the file itself. */
export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}
