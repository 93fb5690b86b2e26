// The walk over a baseline JPEG's Huffman-coded data, on JPEGs drawn here: consistent data passes, data left
// over after the last block or ending early is named, kinds not walked (progressive) are left to libvips.
import sharp, { type JpegOptions } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeStrictly, decodeUpright } from '../../../../src-main/core/imaging/decode';
import { checkJpegEntropy } from '../../../../src-main/core/imaging/jpeg-entropy-check';

async function drawn(options: JpegOptions = {}): Promise<Buffer> {
  // A gradient with noise: every block has AC coefficients, as in a photo.
  const width = 320;
  const height = 240;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i * 7) % 251) ^ (i >> 9);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg(options)
    .toBuffer();
}

describe('checkJpegEntropy', () => {
  it('finds the coded data of sharp and mozjpeg baseline JPEGs consistent', async () => {
    for (const options of [{}, { mozjpeg: true }, { chromaSubsampling: '4:4:4', quality: 95 }])
      expect(checkJpegEntropy(await drawn(options))).toBeNull();
  });

  it('names coded data left over after the last block, which libvips decodes without a word', async () => {
    const clean = await drawn();
    expect(clean.subarray(-2).toString('hex')).toBe('ffd9');
    const extra = Buffer.concat([clean.subarray(0, -2), Buffer.from([0x12, 0x34, 0x56]), clean.subarray(-2)]);
    expect(checkJpegEntropy(extra)?.reason).toMatch(/^3 byte\(s\) of coded data left over after the last of 300 MCUs$/);
    await expect(decodeStrictly(extra, 1600, '/p/extra.jpg')).resolves.toMatchObject({ width: 320 });
    await expect(decodeUpright(extra, 1600, '/p/extra.jpg')).rejects.toMatchObject({
      code: 'CORRUPT_IMAGE',
      message: '/p/extra.jpg: damaged image data (JPEG coded data: 3 byte(s) of coded data left over after the last of 300 MCUs)',
    });
  });

  it('names coded data that ends before the last block', async () => {
    const clean = await drawn();
    const cut = Buffer.concat([clean.subarray(0, Math.floor(clean.length * 0.7)), Buffer.from([0xff, 0xd9])]);
    expect(checkJpegEntropy(cut)?.reason).toMatch(/^the coded data ends in MCU \d+ of 300$/);
  });

  it('leaves progressive JPEGs and other formats to libvips', async () => {
    expect(checkJpegEntropy(await drawn({ progressive: true }))).toBeNull();
    expect(
      checkJpegEntropy(
        await sharp(await drawn())
          .webp()
          .toBuffer(),
      ),
    ).toBeNull();
  });
});
