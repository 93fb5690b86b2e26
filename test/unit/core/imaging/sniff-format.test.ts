// Format sniffing from magic bytes: the extension is never trusted.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sniffImageFormat } from '../../../../src-main/core/imaging/sniff-format';
import { makePhoto } from '../../../fixtures/synthetic-photos';

describe('sniffImageFormat', () => {
  it.each(['jpeg', 'png', 'webp', 'gif', 'tiff'] as const)('recognises %s from its bytes', async (format) => {
    const bytes = await makePhoto(1, { width: 64, height: 48, format });
    expect(sniffImageFormat(bytes.subarray(0, 32))).toBe(format);
  });

  it('recognises AVIF when sharp can write it', async () => {
    const bytes = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#884422' } })
      .avif()
      .toBuffer();
    expect(sniffImageFormat(bytes)).toBe('avif');
  });

  it('says PNG for a PNG named .jpg: the name plays no part', async () => {
    const png = await makePhoto(2, { width: 40, height: 40, format: 'png' });
    expect(sniffImageFormat(png)).toBe('png');
  });

  it('refuses text, empty input and lookalike prefixes', () => {
    expect(sniffImageFormat(Buffer.from('this is not a photo, just text named photo.jpg'))).toBeNull();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeNull();
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffImageFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
  });
});
