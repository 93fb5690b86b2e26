// Quality scoring orders images the way a curator would: sharp > blurred, clean > noisy, big > small.
import { describe, expect, it } from 'vitest';
import sharp, { type Sharp } from 'sharp';
import { estimateNoiseSigma, scoreResolution } from '../../../../src-main/core/imaging/quality';
import { renderDerivativeLadder } from '../../../../src-main/core/imaging/derivatives';
import { scoreQualityOfLadder } from '../../../../src-main/core/imaging/score-quality';
import { measureBlockiness } from '../../../../src-main/core/imaging/compression-artefacts';
import { bokehCopy, fullyBlurredCopy } from '../../../fixtures/degraded-copies';
import { renderPhotoRaw, seededRandom } from '../../../fixtures/synthetic-photos';

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

describe('quality version 2 (issue 14)', () => {
  it('reads JPEG blocks as artefacts, more at lower quality, and ranks heavy JPEG below its original', async () => {
    const raw = await renderPhotoRaw(21, 640, 480);
    const original = await qualityOf(sharp(raw.data, { raw }).png());
    const q10 = await qualityOf(sharp(await sharp(raw.data, { raw }).jpeg({ quality: 10 }).toBuffer()));
    const q40 = await qualityOf(sharp(await sharp(raw.data, { raw }).jpeg({ quality: 40 }).toBuffer()));
    const q95 = await qualityOf(sharp(await sharp(raw.data, { raw }).jpeg({ quality: 95 }).toBuffer()));
    expect(q95.components.artefacts).toBe(100);
    expect(q10.components.artefacts).toBeLessThanOrEqual(q40.components.artefacts);
    expect(q40.components.artefacts).toBeLessThan(q95.components.artefacts);
    expect(q10.components.artefacts).toBeLessThan(50);
    expect(q10.score).toBeLessThan(original.score - 5);
  });

  it('finds the block grid at any phase (a crop that shifts it by 3 pixels)', () => {
    const width = 256;
    const height = 256;
    const data = new Uint8Array(width * height);
    // 8x8 blocks of varying level with a little grain inside, the grid starting at x = y = 3.
    const rnd = seededRandom(3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        data[y * width + x] = 100 + ((Math.floor((x + 5) / 8) * 37 + Math.floor((y + 5) / 8) * 11) % 40) + Math.round(rnd() * 2);
    expect(measureBlockiness({ data, width, height })).toBeGreaterThan(2);
    // A photo-like frame without a grid: slow waves plus grain.
    const smooth = Uint8Array.from(data, (_, k) => {
      const x = k % width;
      const y = Math.floor(k / width);
      return Math.round(120 + 30 * Math.sin(x / 13) + 20 * Math.cos(y / 17) + rnd() * 4);
    });
    expect(measureBlockiness({ data: smooth, width, height })).toBeLessThan(0.25);
  });

  it('keeps a bokeh copy (sharp subject, blurred background) within 10 points, and scores a wholly blurred copy well below', async () => {
    const raw = await renderPhotoRaw(22, 800, 600);
    const original = await qualityOf(sharp(raw.data, { raw }).png());
    const bokeh = await qualityOf(sharp(await bokehCopy(raw)));
    const blurred = await qualityOf(sharp(await fullyBlurredCopy(raw)));
    expect(Math.abs(bokeh.score - original.score)).toBeLessThanOrEqual(10);
    expect(blurred.score).toBeLessThan(bokeh.score - 10);
    expect(blurred.components.sharpness).toBeLessThan(bokeh.components.sharpness - 20);
  });

  it('measures noise where the frame is smoothest, so fine texture is not noise and smoothing is no improvement', () => {
    const width = 256;
    const height = 256;
    const rnd = seededRandom(5);
    // Left half: strong texture (a checker of +-40); right half: a smooth gradient.
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) data[y * width + x] = x < width / 2 ? 128 + ((x + y) % 2 ? 40 : -40) : 60 + (x >> 2);
    expect(estimateNoiseSigma({ data, width, height })).toBeLessThan(1);
    const noisy = Uint8Array.from(data, (v) => Math.max(0, Math.min(255, Math.round(v + (rnd() - 0.5) * 30))));
    expect(estimateNoiseSigma({ data: noisy, width, height })).toBeGreaterThan(5);
  });

  it('ranks an underexposed copy below its original through the exposure part', async () => {
    const raw = await renderPhotoRaw(23, 800, 600);
    const original = await qualityOf(sharp(raw.data, { raw }).png());
    const dark = await qualityOf(sharp(raw.data, { raw }).linear(0.3, 0).png());
    expect(dark.components.colour).toBeLessThan(original.components.colour);
    expect(dark.score).toBeLessThan(original.score);
  });
});
