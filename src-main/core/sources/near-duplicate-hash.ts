// The perceptual hash of a downloaded file, computed the way ingest does (320px rendition -> 32x32 grey),
// so a fresh download can be compared with the catalogue before it is ingested.
import sharp from 'sharp';
import { DERIVATIVE_SIZES, MAX_PIXELS } from '../../../src-shared/defaults';
import { SporeprintError } from '../errors';
import { computePerceptualHash, PHASH_INPUT_SIZE } from '../imaging/perceptual-hash';

export async function perceptualHashOfFile(file: string): Promise<string> {
  try {
    const side = DERIVATIVE_SIZES.small;
    const small = await sharp(file, { failOn: 'error', limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { data } = await sharp(small.data, { raw: small.info })
      .resize({ width: PHASH_INPUT_SIZE, height: PHASH_INPUT_SIZE, fit: 'fill' })
      .greyscale()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return computePerceptualHash(new Uint8Array(data));
  } catch (err) {
    throw new SporeprintError('CORRUPT_IMAGE', `cannot decode downloaded image (${(err as Error).message.split('\n')[0]})`, file);
  }
}
