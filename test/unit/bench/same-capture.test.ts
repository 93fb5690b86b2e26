// The bench's same-capture ground truth must find a crop uploaded alongside its frame and must not take two
// photos that share only a coarse layout (or two shots of one specimen) for one capture: it decides what the
// duplicates bench counts as a false match, so it cannot lean on the content check it judges.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { registerCapture, SAME_CAPTURE_CORRELATION } from '../../bench/same-capture';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath } from '../../fixtures/shared-data';
import { seededRandom } from '../../fixtures/synthetic-photos';

/** A 640 x 480 photo: a coarse layout (a few soft blobs, fixed by `layoutSeed`) plus fine detail from `detailSeed`. */
async function photo(layoutSeed: number, detailSeed: number): Promise<Buffer> {
  const w = 640;
  const h = 480;
  const layout = seededRandom(layoutSeed);
  const blobs = Array.from({ length: 5 }, () => [layout() * w, layout() * h, 60 + layout() * 120, 60 + layout() * 150] as const);
  const detail = Float32Array.from({ length: (w / 4) * (h / 4) }, seededRandom(detailSeed));
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 60;
      for (const [bx, by, r, level] of blobs) if ((x - bx) ** 2 + (y - by) ** 2 < r * r) v = level;
      // Fine texture 4 px in size: what a sharp photo of spines or litter has and a shared layout does not.
      const fine = detail[Math.floor(y / 4) * (w / 4) + Math.floor(x / 4)]! * 70 - 35;
      const g = Math.max(0, Math.min(255, v + fine));
      data.fill(g, (y * w + x) * 3, (y * w + x) * 3 + 3);
    }
  return sharp(data, { raw: { width: w, height: h, channels: 3 } })
    .blur(0.8)
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe('registerCapture', () => {
  it('finds a crop of the frame, upscaled to full size, at its scale', async () => {
    const frame = await photo(1, 1);
    const crop = await sharp(frame)
      .extract({ left: 200, top: 150, width: 256, height: 192 })
      .resize(640, 480)
      .jpeg({ quality: 85 })
      .toBuffer();
    const found = await registerCapture(frame, crop);
    expect(found.correlation).toBeGreaterThanOrEqual(SAME_CAPTURE_CORRELATION);
    expect(found.crop).toBe(1);
    expect(found.scale).toBeGreaterThan(0.36);
    expect(found.scale).toBeLessThan(0.44);
  });

  it('does not take the same layout with other fine detail for one capture', async () => {
    const found = await registerCapture(await photo(2, 3), await photo(2, 4));
    expect(found.correlation).toBeLessThan(SAME_CAPTURE_CORRELATION);
  });

  it('does not take a crop of another photo for one capture', async () => {
    const other = await sharp(await photo(5, 6))
      .extract({ left: 200, top: 150, width: 256, height: 192 })
      .resize(640, 480)
      .toBuffer();
    const found = await registerCapture(await photo(5, 7), other);
    expect(found.correlation).toBeLessThan(SAME_CAPTURE_CORRELATION);
  });

  it.skipIf(!hasSharedData)('on ../shared/data: hydruf is a crop and its frame, hydalb two shots of one specimen', async () => {
    if (!hasSharedData) return console.warn(SHARED_DATA_SKIP_REASON);
    const read = (s: string, i: number) => readFileSync(sharedDataPath('mushroom-observer', s, `image_${i}.webp`));
    const hydruf = await registerCapture(read('hydruf', 0), read('hydruf', 1));
    expect(hydruf.correlation).toBeGreaterThanOrEqual(SAME_CAPTURE_CORRELATION);
    expect(hydruf.crop).toBe(0);
    const hydalb = await registerCapture(read('hydalb', 0), read('hydalb', 1));
    expect(hydalb.correlation).toBeLessThan(SAME_CAPTURE_CORRELATION);
  });
});
