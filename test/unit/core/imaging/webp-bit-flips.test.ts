// Why a bit flip inside a WebP's VP8 data is not refused: no libvips `failOn` level refuses more of them than another
// (libwebp reports only running past a partition's end), while the flipped copies decode to changed pixels. If a
// later libvips or libwebp starts refusing more at a stricter level, this fails: then SHARP_INPUT should use it.
import { readFileSync } from 'node:fs';
import sharp, { type SharpOptions } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeUpright } from '../../../../src-main/core/imaging/decode';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath, speciesOfHalf } from '../../../fixtures/shared-data';

const LEVELS: NonNullable<SharpOptions['failOn']>[] = ['none', 'truncated', 'error', 'warning'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const decodes = (bytes: Buffer, failOn: SharpOptions['failOn']) =>
  sharp(bytes, { failOn })
    .raw()
    .toBuffer()
    .then(
      () => true,
      () => false,
    );

if (!hasSharedData) console.warn(SHARED_DATA_SKIP_REASON);

describe.skipIf(!hasSharedData)('bit flips in WebP photos', () => {
  it('every failOn level refuses the same copies, and most flipped copies decode to changed pixels without a word', async () => {
    const next = random(2024);
    const refusedAt: Record<string, number[]> = Object.fromEntries(LEVELS.map((level) => [level, []]));
    let silentlyChanged = 0;
    let refusedByIngest = 0;
    const copies = speciesOfHalf('tune').slice(0, 40);
    for (const [i, species] of copies.entries()) {
      const clean = readFileSync(sharedDataPath('mushroom-observer', species, 'image_0.webp'));
      expect(clean.toString('latin1', 12, 16)).toBe('VP8 ');
      const flipped = Buffer.from(clean);
      flipped[Math.floor(next() * flipped.length)]! ^= 1 << Math.floor(next() * 8);
      for (const level of LEVELS) if (!(await decodes(flipped, level))) refusedAt[level]!.push(i);
      if (
        await decodeUpright(flipped, 1600).then(
          () => false,
          () => true,
        )
      )
        refusedByIngest++;
      else {
        const [before, after] = await Promise.all([clean, flipped].map((b) => sharp(b).raw().toBuffer()));
        if (!before!.equals(after!)) silentlyChanged++;
      }
    }
    console.log(
      `one bit flipped in each of ${copies.length} WebP photos: refused ${LEVELS.map((l) => `${l} ${refusedAt[l]!.length}`).join(', ')}; ` +
        `ingest's decode refuses ${refusedByIngest}; ${silentlyChanged} decode to changed pixels without a word`,
    );
    for (const level of LEVELS) expect(refusedAt[level], level).toEqual(refusedAt.none);
    // Ingest's strict decode catches what libwebp reports, and no more.
    expect(refusedByIngest).toBe(refusedAt.none!.length);
    expect(silentlyChanged).toBeGreaterThan(copies.length / 2);
  });
});
