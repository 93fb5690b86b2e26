// Derivative ladder: sizes, square thumbnail, formats, never upscaled, content-addressed and atomic.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { renderDerivativeLadder, writeDerivatives } from '../../../../src-main/core/imaging/derivatives';
import { TEMP_DIR } from '../../../../src-main/core/library-paths';
import { renderPhotoRaw } from '../../../fixtures/synthetic-photos';
import { makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('derivatives', () => {
  it('writes thumb 150 square, 320/640/1280 long edge, each as JPEG and WebP', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const raw = await renderPhotoRaw(21, 2400, 1600);
    const written = await writeDerivatives(dir, 'ab'.repeat(32), await renderDerivativeLadder(raw));
    expect(Object.keys(written).sort()).toEqual(['large', 'medium', 'small', 'thumb'].flatMap((s) => [`${s}.jpeg`, `${s}.webp`]).sort());
    const expected: Record<string, [number, number]> = { thumb: [150, 150], small: [320, 213], medium: [640, 427], large: [1280, 853] };
    for (const [key, rel] of Object.entries(written)) {
      const [size, format] = key.split('.') as [string, string];
      const meta = await sharp(path.join(dir, rel)).metadata();
      expect(meta.format).toBe(format);
      // Cascading (1280 -> 640 -> 320) may round the short edge one pixel differently from a direct resize.
      expect(meta.width).toBe(expected[size]![0]);
      expect(Math.abs(meta.height! - expected[size]![1])).toBeLessThanOrEqual(1);
    }
    expect(readdirSync(path.join(dir, TEMP_DIR), { recursive: true }).filter((f) => String(f).includes('.'))).toEqual([]);
  });

  it('never upscales a small original', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const raw = await renderPhotoRaw(22, 500, 300);
    const written = await writeDerivatives(dir, 'cd'.repeat(32), await renderDerivativeLadder(raw));
    const large = await sharp(path.join(dir, written['large.jpeg']!)).metadata();
    const medium = await sharp(path.join(dir, written['medium.webp']!)).metadata();
    expect([large.width, large.height]).toEqual([500, 300]);
    expect([medium.width, medium.height]).toEqual([500, 300]);
  });

  it('keeps existing files: derivatives are content-addressed', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const ladder = await renderDerivativeLadder(await renderPhotoRaw(23, 800, 600));
    const first = await writeDerivatives(dir, 'ef'.repeat(32), ladder);
    const { mtimeMs } = await import('node:fs').then((fs) => fs.statSync(path.join(dir, first['thumb.jpeg']!)));
    await new Promise((r) => setTimeout(r, 20));
    await writeDerivatives(dir, 'ef'.repeat(32), ladder);
    const after = (await import('node:fs')).statSync(path.join(dir, first['thumb.jpeg']!)).mtimeMs;
    expect(after).toBe(mtimeMs);
    expect(existsSync(path.join(dir, first['large.webp']!))).toBe(true);
  });

  it('fills in the files a killed run did not write, keeping the ones it did', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const ladder = await renderDerivativeLadder(await renderPhotoRaw(24, 800, 600));
    const first = await writeDerivatives(dir, '12'.repeat(32), ladder);
    const fs = await import('node:fs');
    fs.rmSync(path.join(dir, first['medium.webp']!));
    const kept = fs.statSync(path.join(dir, first['thumb.jpeg']!)).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await writeDerivatives(dir, '12'.repeat(32), ladder);
    expect((await sharp(path.join(dir, first['medium.webp']!)).metadata()).width).toBe(640);
    expect(fs.statSync(path.join(dir, first['thumb.jpeg']!)).mtimeMs).toBe(kept);
  });
});
