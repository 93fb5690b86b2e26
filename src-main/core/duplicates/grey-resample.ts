// Box-filtered grey resampling in plain JS, for fingerprints that must not cost another libvips call.
import type { RawImage } from '../imaging/derivatives';

/** Area-average resample of an RGB(A)/grey raw image to a w x h grey image (luma, BT.601). */
export function resizeGreySync(image: RawImage, w: number, h: number): Uint8Array {
  const { data, width, height, channels } = image;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / w));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++)
        for (let xx = x0; xx < x1; xx++) {
          const i = (yy * width + xx) * channels;
          sum += channels >= 3 ? 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]! : data[i]!;
        }
      out[y * w + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}
