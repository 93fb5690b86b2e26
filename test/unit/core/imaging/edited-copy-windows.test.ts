// Hash targets for straightened and captioned copies: a copy turned by 6-15 degrees (trimmed upright) or with a
// caption band comes within the duplicate threshold of its original only through these windows, which count as
// side windows (the stricter correlation bar), and two different photographs do not meet through them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../../../src-shared/defaults';
import { fingerprintMatches } from '../../../../src-main/core/duplicates/fingerprint-distance';
import { explainHashMatch } from '../../../../src-main/core/duplicates/verify/explain-match';
import { hamming64 } from '../../../../src-main/core/duplicates/popcount';
import {
  CAPTION_BAND_SHARE,
  EDITED_COPY_WINDOWS,
  straightenedFraction,
  withCaptionBand,
} from '../../../../src-main/core/imaging/edited-copy-windows';
import type { Fingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { fingerprintOfBytes } from '../../../fixtures/fingerprint-of';
import { makeHardVariant } from '../../../fixtures/hard-variants';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath, speciesOfHalf } from '../../../fixtures/shared-data';

const T = DEFAULT_DUPLICATE_THRESHOLD;

/** Smallest distance from the copy's upright whole hash to the original's whole picture and axis-aligned regions. */
function plainDistance(copy: Fingerprint, original: Fingerprint): number {
  const h = copy.dihedral;
  let best = hamming64(h[0]!, h[1]!, original.dihedral[0]!, original.dihedral[1]!);
  for (let k = 0; k < original.regions.length - 2 * EDITED_COPY_WINDOWS; k += 2)
    best = Math.min(best, hamming64(h[0]!, h[1]!, original.regions[k]!, original.regions[k + 1]!));
  return best;
}

/** Smallest distance from the copy's upright whole hash to the original's edited-copy windows. */
function windowDistance(copy: Fingerprint, original: Fingerprint): number {
  const h = copy.dihedral;
  let best = 64;
  for (let k = original.regions.length - 2 * EDITED_COPY_WINDOWS; k < original.regions.length; k += 2)
    best = Math.min(best, hamming64(h[0]!, h[1]!, original.regions[k]!, original.regions[k + 1]!));
  return best;
}

describe('edited-copy windows', () => {
  it('trims a turned frame to the largest upright rectangle of its aspect', () => {
    expect(straightenedFraction(400, 300, 0)).toBeCloseTo(1, 10);
    // 10 degrees on 4:3: 1 / (cos 10 + sin 10 * 4/3).
    expect(straightenedFraction(400, 300, 10)).toBeCloseTo(1 / (Math.cos(Math.PI / 18) + (Math.sin(Math.PI / 18) * 4) / 3), 10);
    expect(straightenedFraction(300, 400, -10)).toBeCloseTo(straightenedFraction(400, 300, 10), 10);
  });

  it('paints the caption band over the bottom rows only', () => {
    const grey = new Float64Array(32 * 32).fill(40);
    const banded = withCaptionBand(grey, 32, 32);
    const rows = Math.round(32 * CAPTION_BAND_SHARE);
    expect(banded.subarray(0, (32 - rows) * 32).every((v) => v === 40)).toBe(true);
    expect(banded.subarray((32 - rows) * 32).every((v) => v === 255)).toBe(true);
    expect(grey.every((v) => v === 40)).toBe(true);
  });

  describe.skipIf(!hasSharedData)(`on real photographs${hasSharedData ? '' : ` (${SHARED_DATA_SKIP_REASON})`}`, () => {
    // Tune-half photos only: the bench reports on the other half.
    const species = speciesOfHalf('tune').slice(0, 6);
    const photo = (s: string, n = 0) => readFileSync(sharedDataPath('mushroom-observer', s, `image_${n}.webp`));

    it.each(['rotate-10', 'rotate-15', 'caption'] as const)('brings %s copies within the threshold through a window', async (variant) => {
      let throughWindowOnly = 0;
      for (const [k, s] of species.entries()) {
        const original = await fingerprintOfBytes(photo(s));
        const copy = await fingerprintOfBytes(await makeHardVariant(photo(s), variant, 500 + k));
        expect(windowDistance(copy, original), `${s} ${variant}`).toBeLessThanOrEqual(T);
        const [, side] = fingerprintMatches(copy, original);
        expect(side.distance).toBeLessThanOrEqual(T);
        if (plainDistance(copy, original) > T) {
          throughWindowOnly++;
          // Only a window brings it in: the match says so (and is held to the stricter correlation bar).
          expect(side.kind).toBe('edited-window');
          expect(explainHashMatch(side.distance, side.correlation, side.kind).transform).toBe('turned or captioned window');
        }
      }
      // The windows are what brings (some of) them in: without them these copies are no candidates.
      if (variant !== 'caption') expect(throughWindowOnly).toBeGreaterThan(0);
    });

    it('keeps the two photographs of a species apart through the windows', async () => {
      for (const s of species) {
        const a = await fingerprintOfBytes(photo(s, 0));
        const b = await fingerprintOfBytes(photo(s, 1));
        if (a.pixelDigest === b.pixelDigest) continue;
        expect(Math.min(windowDistance(a, b), windowDistance(b, a)), s).toBeGreaterThan(T);
      }
    });
  });
});
