// Decodes an original a browser cannot show (TIFF, HEIF) into a full-size JPEG, or PNG when it has transparency,
// for the loupe's 100 %: every pixel kept, oriented as its derivatives are. Runs in a worker (display-worker).
import { renameSync } from 'node:fs';
import sharp from 'sharp';
import { ORIGINAL_DISPLAY_MAX_PIXELS } from '../../../src-shared/defaults';

export interface DisplayConversionTask {
  source: string;
  /** Where the result goes, without extension (.jpg or .png is added); written under a temporary name, then renamed. */
  target: string;
}

export interface DisplayConversion {
  path: string;
  format: 'jpeg' | 'png';
  size: number;
  width: number;
  height: number;
}

export async function convertForDisplay(task: DisplayConversionTask): Promise<DisplayConversion> {
  // First page only (a multi-page TIFF is one photograph plus thumbnails); the pixel limit refuses a decompression bomb.
  const image = sharp(task.source, { limitInputPixels: ORIGINAL_DISPLAY_MAX_PIXELS, failOn: 'error' }).rotate();
  const { hasAlpha } = await image.metadata();
  const target = `${task.target}.${hasAlpha ? 'png' : 'jpg'}`;
  const temp = `${target}.${process.pid}.tmp`;
  const out = hasAlpha ? image.png({ compressionLevel: 6 }) : image.jpeg({ quality: 95, chromaSubsampling: '4:4:4' });
  const info = await out.toFile(temp);
  renameSync(temp, target);
  return { path: target, format: hasAlpha ? 'png' : 'jpeg', size: info.size, width: info.width, height: info.height };
}
