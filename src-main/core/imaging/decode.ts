// Decoding as every rendition Sporeprint makes starts: orientation applied, alpha flattened on white, sRGB,
// shrunk to a long edge (JPEG and WebP shrink on load, so a 5640 px photo is never fully materialised).
import sharp from 'sharp';
import { MAX_PIXELS } from '../../../src-shared/defaults';
import { SporeprintError } from '../errors';
import type { RawImage } from './derivatives';
import { checkJpegEntropy } from './jpeg-entropy-check';

/** libvips refuses truncated and corrupt data instead of returning a half-grey picture. */
export const SHARP_INPUT = { failOn: 'error', limitInputPixels: MAX_PIXELS } as const;

/** The decoders' own words for damaged pixel data; libjpeg says "premature end of data segment" only as a warning. */
const CORRUPTION_WORDS =
  /corrupt (?:jpeg )?data|premature end|truncat|not enough data|unexpected end|IDAT: CRC error|bad huffman|invalid (?:huffman|code|distance|block)|incomplete|unable to read pixels/i;
/** sharp's wrapper of every load failure ("Input buffer has corrupt header: ..."), which says nothing itself. */
const SHARP_WRAPPER = /input (?:buffer|file) has corrupt header:?/gi;

/** Whether a decoder message (error or warning) says the picture data itself is damaged. */
export function saysPixelsAreDamaged(message: string): boolean {
  return CORRUPTION_WORDS.test(message.replace(SHARP_WRAPPER, ''));
}

/**
 * Decodes as decodeStrictly does, after walking a baseline JPEG's coded data: a flipped bit that libjpeg decodes
 * without a word (the picture shifted or striped from that block on) still leaves the data inconsistent.
 */
export async function decodeUpright(bytes: Uint8Array, longEdge: number, filePath?: string): Promise<RawImage> {
  const fault = checkJpegEntropy(bytes);
  if (fault) throw new SporeprintError('CORRUPT_IMAGE', `damaged image data (JPEG coded data: ${fault.reason})`, filePath);
  return decodeStrictly(bytes, longEdge, filePath);
}

/**
 * Decodes strictly first (libvips warnings fail the decode), so a JPEG whose data segment ends early is refused
 * rather than stored half grey; a warning that says nothing about the pixels (an odd profile or marker) does not
 * cost a fine photo: it is decoded again as before.
 */
export async function decodeStrictly(bytes: Uint8Array, longEdge: number, filePath?: string): Promise<RawImage> {
  try {
    return await decodeWith(bytes, longEdge, 'warning');
  } catch (strictErr) {
    const strictText = fullText(strictErr);
    if (saysPixelsAreDamaged(strictText))
      throw new SporeprintError('CORRUPT_IMAGE', `damaged image data (${damageLine(strictText)})`, filePath);
    try {
      return await decodeWith(bytes, longEdge, SHARP_INPUT.failOn);
    } catch (err) {
      throw new SporeprintError('CORRUPT_IMAGE', `cannot decode image (${errorText(err)})`, filePath);
    }
  }
}

async function decodeWith(bytes: Uint8Array, longEdge: number, failOn: 'warning' | 'error'): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { ...SHARP_INPUT, failOn })
    .rotate()
    .resize({ width: longEdge, height: longEdge, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The first line of a library error, for a message that names the file itself. */
export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}

function fullText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The line of a multi-line libvips message that names the damage. */
function damageLine(text: string): string {
  return (text.split('\n').find((line) => saysPixelsAreDamaged(line)) ?? text.split('\n')[0]!).trim();
}
