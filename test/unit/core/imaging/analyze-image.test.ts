// The decode-once analysis: EXIF orientation applied, capture metadata read, AVIF decoded, errors coded.
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { analyzeImage } from '../../../../src-main/core/imaging/analyze-image';
import { renderPhotoRaw } from '../../../fixtures/synthetic-photos';
import { makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const library = () => {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

describe('analyzeImage', () => {
  it('applies EXIF orientation and reads capture time, camera and GPS', async () => {
    const raw = await renderPhotoRaw(31, 600, 400);
    const bytes = await sharp(raw.data, { raw })
      .jpeg()
      // libvips writes orientation from its own metadata field, not from an EXIF tag given here.
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'FungiCam', Model: 'Spore 1' },
        IFD2: { DateTimeOriginal: '2024:09:14 10:31:00' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 30/1' },
      })
      .toBuffer();
    const a = await analyzeImage(bytes, '0'.repeat(64), library(), 'rotated.jpg');
    expect([a.width, a.height]).toEqual([400, 600]);
    expect(a.exif.cameraMake).toBe('FungiCam');
    expect(a.exif.cameraModel).toBe('Spore 1');
    expect(a.exif.capturedAt).toMatch(/^2024-09-14T/);
    expect(a.exif.gpsLat).toBeCloseTo(51.5, 3);
    expect(a.exif.gpsLon).toBeCloseTo(-0.125, 3);
  });

  it('decodes AVIF', async () => {
    const raw = await renderPhotoRaw(32, 300, 200);
    const bytes = await sharp(raw.data, { raw }).avif({ quality: 60 }).toBuffer();
    const a = await analyzeImage(bytes, '1'.repeat(64), library(), 'photo.avif');
    expect(a).toMatchObject({ format: 'avif', width: 300, height: 200 });
    expect(a.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names the file and the reason for unsupported and corrupt input', async () => {
    await expect(analyzeImage(Buffer.from('hello world, definitely text'), '2'.repeat(64), library(), 'notes.jpg')).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      path: 'notes.jpg',
    });
    const good = await sharp((await renderPhotoRaw(33, 400, 300)).data, { raw: { width: 400, height: 300, channels: 3 } })
      .png()
      .toBuffer();
    await expect(analyzeImage(good.subarray(0, 200), '3'.repeat(64), library(), 'cut.png')).rejects.toMatchObject({
      code: 'CORRUPT_IMAGE',
      path: 'cut.png',
    });
  });
});
