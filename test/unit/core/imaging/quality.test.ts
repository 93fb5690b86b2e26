// Quality scoring orders images the way a curator would: sharp > blurred, clean > noisy, big > small.
import { describe, expect, it } from 'vitest';
import sharp, { type Sharp } from 'sharp';
import { computeQuality, estimateNoiseSigma, scoreResolution } from '../../../../src-main/core/imaging/quality';
import { renderDerivativeLadder } from '../../../../src-main/core/imaging/derivatives';
import { scoreQualityOfLadder } from '../../../../src-main/core/imaging/score-quality';
import { renderPhotoRaw } from '../../../fixtures/synthetic-photos';

/** Scores what a pipeline renders the way ingest does: derivative ladder, then the renditions each component uses. */
async function qualityOf(pipeline: Sharp) {
  const { data, info } = await pipeline.clone().raw().toBuffer({ resolveWithObject: true });
  const ladder = await renderDerivativeLadder({ data, width: info.width, height: info.height, channels: info.channels });
  return scoreQualityOfLadder(info.width, info.height, ladder);
}

describe('quality score', () => {
  it('ranks original > blurred > heavily blurred on sharpness and overall', async () => {
    const raw = await renderPhotoRaw(11, 1200, 900);
    const base = sharp(raw.data, { raw: raw });
    const original = await qualityOf(base);
    const blurred = await qualityOf(base.clone().blur(2));
    const heavy = await qualityOf(base.clone().blur(8));
    expect(original.components.sharpness).toBeGreaterThan(blurred.components.sharpness);
    expect(blurred.components.sharpness).toBeGreaterThan(heavy.components.sharpness);
    expect(original.score).toBeGreaterThan(blurred.score);
    expect(blurred.score).toBeGreaterThan(heavy.score);
  });

  it('ranks clean > noisy on the noise component, and noise does not pass for sharpness', async () => {
    const raw = await renderPhotoRaw(12, 1000, 750, 8);
    const noisy = Buffer.from(raw.data);
    let s = 99;
    for (let i = 0; i < noisy.length; i++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      noisy[i] = Math.max(0, Math.min(255, noisy[i]! + Math.round(((s % 1000) / 1000 - 0.5) * 90)));
    }
    const clean = await qualityOf(sharp(raw.data, { raw: raw }));
    const dirty = await qualityOf(sharp(noisy, { raw: raw }));
    expect(clean.components.noise).toBeGreaterThan(dirty.components.noise + 20);
    expect(clean.score).toBeGreaterThan(dirty.score);
  });

  it('scores the same photo lower on resolution when it is smaller', async () => {
    const raw = await renderPhotoRaw(13, 2000, 1500);
    const big = await qualityOf(sharp(raw.data, { raw: raw }));
    const small = await qualityOf(sharp(raw.data, { raw: raw }).resize(800));
    expect(big.components.resolution).toBe(100);
    expect(small.components.resolution).toBeCloseTo(50, 0);
    expect(scoreResolution(3200, 100)).toBe(100);
  });

  it('penalises clipped exposure and greyscale on the colour component', async () => {
    const raw = await renderPhotoRaw(14, 800, 600);
    const normal = await qualityOf(sharp(raw.data, { raw: raw }));
    const blown = await qualityOf(sharp(raw.data, { raw: raw }).linear(3, 0));
    const grey = await qualityOf(sharp(raw.data, { raw: raw }).greyscale().toColourspace('srgb'));
    expect(normal.components.colour).toBeGreaterThan(blown.components.colour);
    expect(normal.components.colour).toBeGreaterThan(grey.components.colour);
  });

  it('estimates the sigma of added white noise', () => {
    const width = 256;
    const height = 256;
    const data = new Uint8Array(width * height).fill(128);
    let s = 7;
    const gauss = () => {
      // Box-Muller from a small LCG: deterministic Gaussian noise.
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const u = (s + 1) / 0x80000001;
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const v = (s + 1) / 0x80000001;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    for (let i = 0; i < data.length; i++) data[i] = Math.round(128 + 10 * gauss());
    expect(estimateNoiseSigma({ data, width, height })).toBeGreaterThan(8);
    expect(estimateNoiseSigma({ data, width, height })).toBeLessThan(12);
  });
});
