// The model-free descriptor: deterministic unit vectors that rank a photo's variants above other photos.
import { describe, expect, it } from 'vitest';
import { DescriptorProvider, DESCRIPTOR_SIZE } from '../../../../src-main/core/embed/descriptor-provider';
import { dot } from '../../../../src-main/core/embed/provider';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { makeVariant } from '../../../fixtures/variants';

const provider = new DescriptorProvider();
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

describe('DescriptorProvider', () => {
  it('is deterministic, unit length, fixed size, and batch equals single', async () => {
    const photos = await Promise.all([1, 2, 3].map((s) => makePhoto(s, { width: 320, height: 240 })));
    const a = await provider.embedImage(photos[0]!);
    const b = await provider.embedImage(photos[0]!);
    expect(a).toEqual(b);
    expect(a.length).toBe(DESCRIPTOR_SIZE);
    expect(provider.vectorSize).toBe(DESCRIPTOR_SIZE);
    expect(norm(a)).toBeCloseTo(1, 5);
    const batch = await provider.embedImageBatch(photos);
    for (const [i, photo] of photos.entries()) expect(batch[i]).toEqual(await provider.embedImage(photo));
  });

  it('ranks variants of a photo above different photos', async () => {
    const photos = await Promise.all([11, 12, 13, 14, 15, 16].map((s) => makePhoto(s, { width: 480, height: 360 })));
    const vectors = await provider.embedImageBatch(photos);
    for (const [i, photo] of photos.entries()) {
      for (const variant of ['resize', 'recompress', 'crop-10', 'brightness'] as const) {
        const q = await provider.embedImage(await makeVariant(photo, variant));
        const scores = vectors.map((v) => dot(q, v));
        const best = scores.indexOf(Math.max(...scores));
        expect(best, `${variant} of photo ${i}`).toBe(i);
      }
    }
  });

  it('refuses text with the command that fixes it, and names corrupt images', async () => {
    await expect(provider.embedText('orange bracket')).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringMatching(/sporeprint model install/),
    });
    await expect(provider.embedImage(Buffer.from('nope'))).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
  });
});
