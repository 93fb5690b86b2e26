// Box-filtered grey resampling in plain JS, for fingerprints that must not cost another libvips call.
// Every region hash reads the same summed-area table, so each of the ~30 regions costs 32x32 lookups.
import type { RawImage } from '../imaging/derivatives';

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Summed-area table of the image's luma (BT.601): sums[(y) * (w + 1) + x] = sum of luma above-left of (x, y). */
export interface LumaIntegral {
  width: number;
  height: number;
  sums: Float64Array;
}

export function lumaIntegral(image: RawImage): LumaIntegral {
  const { data, width, height, channels } = image;
  const stride = width + 1;
  const sums = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      row += channels >= 3 ? 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]! : data[i]!;
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1]! + row;
    }
  }
  return { width, height, sums };
}

/** Area-average resample of a region (in pixels, within the image) to w x h grey values. */
export function resampleRegion(integral: LumaIntegral, region: Region, w: number, h: number): Float64Array {
  const { sums } = integral;
  const stride = integral.width + 1;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = region.top + Math.floor((y * region.height) / h);
    const y1 = Math.max(y0 + 1, region.top + Math.floor(((y + 1) * region.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = region.left + Math.floor((x * region.width) / w);
      const x1 = Math.max(x0 + 1, region.left + Math.floor(((x + 1) * region.width) / w));
      const sum = sums[y1 * stride + x1]! - sums[y0 * stride + x1]! - sums[y1 * stride + x0]! + sums[y0 * stride + x0]!;
      out[y * w + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}
