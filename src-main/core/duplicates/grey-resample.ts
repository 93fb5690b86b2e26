// Box-filtered grey resampling in plain JS, for fingerprints that must not cost another libvips call.
import type { RawImage } from '../imaging/derivatives';

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Luma (BT.601) of the whole image as one float plane, computed once and shared by every region hash. */
export function lumaPlane(image: RawImage): Float32Array {
  const { data, width, height, channels } = image;
  const out = new Float32Array(width * height);
  for (let p = 0, i = 0; p < out.length; p++, i += channels) {
    out[p] = channels >= 3 ? 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]! : data[i]!;
  }
  return out;
}

/** Area-average resample of a region of a luma plane to w x h (region in pixels, clamped to the plane). */
export function resampleRegion(luma: Float32Array, planeWidth: number, region: Region, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = region.top + Math.floor((y * region.height) / h);
    const y1 = Math.max(y0 + 1, region.top + Math.floor(((y + 1) * region.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = region.left + Math.floor((x * region.width) / w);
      const x1 = Math.max(x0 + 1, region.left + Math.floor(((x + 1) * region.width) / w));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) {
        const row = yy * planeWidth;
        for (let xx = x0; xx < x1; xx++) sum += luma[row + xx]!;
      }
      out[y * w + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** Area-average resample of an RGB(A)/grey raw image to a w x h grey image (luma, BT.601). */
export function resizeGreySync(image: RawImage, w: number, h: number): Uint8Array {
  const plane = resampleRegion(lumaPlane(image), image.width, { left: 0, top: 0, width: image.width, height: image.height }, w, h);
  return Uint8Array.from(plane, (v) => Math.round(v));
}
