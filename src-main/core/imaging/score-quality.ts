// The quality score of a decoded image from its derivative ladder: the renditions each component is measured on.
import sharp from 'sharp';
import { ANALYSIS_LONG_EDGE } from '../../../src-shared/defaults';
import type { QualityComponents } from '../../../src-shared/model';
import type { DerivativeSize } from '../../../src-shared/defaults';
import type { RawImage } from './derivatives';
import { computeQuality, type GreyImage } from './quality';

/** `width`/`height`: the original's (upright) size; the ladder is renderDerivativeLadder's output. */
export async function scoreQualityOfLadder(
  width: number,
  height: number,
  ladder: Record<DerivativeSize, RawImage>,
): Promise<{ score: number; components: QualityComponents }> {
  const analysis = await toGrey(ladder.medium, ANALYSIS_LONG_EDGE);
  const native = await toGrey(ladder.large);
  return computeQuality({ width, height, analysis, native, colour: { ...ladder.small } });
}

/** Grey rendition; resized to `longEdge` (enlarging too, so sharpness compares across sizes) when given. */
async function toGrey(image: RawImage, longEdge?: number): Promise<GreyImage> {
  let pipeline = sharp(image.data, { raw: image });
  if (longEdge !== undefined) pipeline = pipeline.resize({ width: longEdge, height: longEdge, fit: 'inside' });
  const { data, info } = await pipeline.greyscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
