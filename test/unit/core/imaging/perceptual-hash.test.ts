// pHash: stable under re-encoding and resizing, different for different pictures; hamming helpers.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { hammingDistance64, hammingDistanceHex } from '../../../../src-main/core/catalog/hamming';
import { computePerceptualHash } from '../../../../src-main/core/imaging/perceptual-hash';
import { makePhoto } from '../../../fixtures/synthetic-photos';

async function phashOf(bytes: Buffer): Promise<string> {
  const grey = await sharp(bytes).resize(32, 32, { fit: 'fill' }).greyscale().extractChannel(0).raw().toBuffer();
  return computePerceptualHash(grey);
}

describe('computePerceptualHash', () => {
  it('is 16 hex characters with about half the bits set', async () => {
    const hash = await phashOf(await makePhoto(3));
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const ones = [...BigInt(`0x${hash}`).toString(2)].filter((b) => b === '1').length;
    expect(ones).toBeGreaterThan(20);
    expect(ones).toBeLessThan(44);
  });

  it('barely moves under recompression and resizing, and differs between photos', async () => {
    const original = await makePhoto(4, { width: 1000, height: 750 });
    const small = await sharp(original).resize(300).jpeg({ quality: 60 }).toBuffer();
    const other = await makePhoto(5, { width: 1000, height: 750 });
    const [a, b, c] = await Promise.all([phashOf(original), phashOf(small), phashOf(other)]);
    expect(hammingDistanceHex(a, b)).toBeLessThanOrEqual(4);
    expect(hammingDistanceHex(a, c)).toBeGreaterThan(16);
  });

  it('rejects input of the wrong size', () => {
    expect(() => computePerceptualHash(new Uint8Array(10))).toThrow(/32x32/);
  });
});

describe('hamming distance', () => {
  it('counts differing bits in hex and bigint forms alike', () => {
    expect(hammingDistanceHex('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistanceHex('00000000000000f0', '0000000000000010')).toBe(3);
    expect(hammingDistance64(0xf0n, 0x10n)).toBe(3);
    expect(() => hammingDistanceHex('00', '000')).toThrow();
  });
});
