// Capture metadata from EXIF: time, camera, GPS. Missing or unreadable EXIF is normal and yields nulls.
import exifr from 'exifr';
import type { ExifSummary } from '../../../src-shared/model';

export const EMPTY_EXIF: ExifSummary = { capturedAt: null, cameraMake: null, cameraModel: null, gpsLat: null, gpsLon: null };

export async function readExifSummary(bytes: Buffer): Promise<{ summary: ExifSummary; raw: Record<string, unknown> | null }> {
  let raw: Record<string, unknown> | undefined;
  try {
    raw = (await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: false, icc: false, iptc: false })) as
      Record<string, unknown> | undefined;
  } catch {
    // Many valid images carry broken EXIF blocks; the photo is still good, its capture metadata is just unknown.
    return { summary: EMPTY_EXIF, raw: null };
  }
  if (!raw) return { summary: EMPTY_EXIF, raw: null };
  const date = raw.DateTimeOriginal ?? raw.CreateDate ?? raw.ModifyDate;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    summary: {
      capturedAt: date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
      cameraMake: text(raw.Make),
      cameraModel: text(raw.Model),
      gpsLat: num(raw.latitude),
      gpsLon: num(raw.longitude),
    },
    raw: pickSerializable(raw),
  };
}

/** Keeps EXIF fields that survive JSON (drops binary blobs such as maker notes and thumbnails). */
function pickSerializable(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value instanceof Uint8Array || (typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value)))
      continue;
    if (Array.isArray(value) && value.length > 16) continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
