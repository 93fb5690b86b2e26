// Preprocessing: RGB from any colour model, aspect preserved with padding, and validation messages.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resizeForEmbedding, validateImage } from '../../../../src-main/core/embed/preprocess';

const solid = (channels: 1 | 3 | 4, width: number, height: number, value: number[]) =>
  sharp({
    create: {
      width,
      height,
      channels: channels as 3 | 4,
      background:
        channels === 4
          ? { r: value[0]!, g: value[1]!, b: value[2]!, alpha: value[3]! / 255 }
          : { r: value[0]!, g: value[1] ?? value[0]!, b: value[2] ?? value[0]! },
    },
  });

describe('resizeForEmbedding', () => {
  it('gives size x size RGB and pads a wide image top and bottom, keeping its aspect', async () => {
    const wide = await solid(3, 400, 200, [250, 10, 10]).png().toBuffer();
    const out = await resizeForEmbedding(wide, 224);
    expect([out.width, out.height, out.data.length]).toEqual([224, 224, 224 * 224 * 3]);
    const px = (x: number, y: number) => Array.from(out.data.subarray((y * 224 + x) * 3, (y * 224 + x) * 3 + 3));
    expect(px(112, 2)).toEqual([0, 0, 0]); // padding band
    expect(px(112, 112)[0]).toBeGreaterThan(240); // the image itself, centred
    expect(px(112, 221)).toEqual([0, 0, 0]);
  });

  it('flattens RGBA, expands grey and converts CMYK to RGB', async () => {
    const rgba = await solid(4, 64, 64, [0, 200, 0, 255]).png().toBuffer();
    const grey = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const cmyk = await solid(3, 64, 64, [200, 30, 30]).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    for (const bytes of [rgba, grey, cmyk]) {
      const out = await resizeForEmbedding(bytes, 32);
      expect(out.data.length).toBe(32 * 32 * 3);
    }
    const g = await resizeForEmbedding(grey, 32);
    expect(Math.abs(g.data[0]! - g.data[1]!)).toBeLessThan(3);
    const c = await resizeForEmbedding(cmyk, 32);
    expect(c.data[0]!).toBeGreaterThan(c.data[1]! + 80); // still red after the CMYK round trip
  });
});

describe('validateImage', () => {
  it('accepts an image and names the problem otherwise', async () => {
    expect(await validateImage(await solid(3, 64, 64, [1, 2, 3]).jpeg().toBuffer())).toEqual({ ok: true, error: null });
    expect(await validateImage(new Uint8Array())).toEqual({ ok: false, error: 'image is empty' });
    const garbage = await validateImage(Buffer.from('definitely not an image'));
    expect(garbage.ok).toBe(false);
    expect(garbage.error).toMatch(/not a readable image/);
    const big = await validateImage(await solid(3, 64, 64, [1, 2, 3]).png().toBuffer(), 0.00001);
    expect(big.error).toMatch(/over the 0.00001 MB limit/);
    expect((await validateImage(await solid(3, 4, 4, [1, 2, 3]).png().toBuffer())).error).toMatch(/too small/);
  });
});
