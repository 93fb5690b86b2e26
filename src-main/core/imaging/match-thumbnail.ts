// The per-image data the content check needs: a small grey rendition stored in the catalogue at ingest, so
// verifying a candidate pair never decodes a file (and works on a read-only catalogue).
import type { RawImage } from './derivatives';
import { lumaIntegral, resampleRegion } from './grey-resample';

/** Bumped when the rendition changes; thumbnails of another version are recomputed from the stored derivative. */
export const MATCH_THUMBNAIL_VERSION = 1;
/** Long edge in pixels: enough texture for keypoints on a 30% crop, ~12 KB per 4:3 image. */
export const MATCH_THUMBNAIL_EDGE = 128;
const HEADER_BYTES = 5;

export interface MatchThumbnail {
  width: number;
  height: number;
  /** Grey values 0-255, row-major. */
  grey: Uint8Array;
}

/** The grey rendition of an image (box-filtered from the 320 px derivative, no extra libvips call). */
export function computeMatchThumbnail(small: RawImage): MatchThumbnail {
  const scale = Math.min(1, MATCH_THUMBNAIL_EDGE / Math.max(small.width, small.height));
  const width = Math.max(1, Math.round(small.width * scale));
  const height = Math.max(1, Math.round(small.height * scale));
  const values = resampleRegion(lumaIntegral(small), { left: 0, top: 0, width: small.width, height: small.height }, width, height);
  const grey = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) grey[i] = Math.round(values[i]!);
  return { width, height, grey };
}

/** Blob layout: version, width (2 bytes), height (2 bytes), then the grey pixels. */
export function encodeMatchThumbnail(thumb: MatchThumbnail): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + thumb.grey.length);
  out[0] = MATCH_THUMBNAIL_VERSION;
  out[1] = thumb.width >> 8;
  out[2] = thumb.width & 255;
  out[3] = thumb.height >> 8;
  out[4] = thumb.height & 255;
  out.set(thumb.grey, HEADER_BYTES);
  return out;
}

/** Reads a stored thumbnail; null for another version or a damaged blob (the caller recomputes or falls back). */
export function parseMatchThumbnail(blob: Uint8Array | null | undefined): MatchThumbnail | null {
  if (!blob || blob.length < HEADER_BYTES || blob[0] !== MATCH_THUMBNAIL_VERSION) return null;
  const width = (blob[1]! << 8) | blob[2]!;
  const height = (blob[3]! << 8) | blob[4]!;
  if (width === 0 || height === 0 || blob.length !== HEADER_BYTES + width * height) return null;
  return { width, height, grey: Uint8Array.from(blob.subarray(HEADER_BYTES)) };
}
