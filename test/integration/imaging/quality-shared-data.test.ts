// Quality v2 on real field photos of the eval half (never tuned on): every kind of damage scores below its original.
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeForDerivatives } from '../../../src-main/core/imaging/analyze-image';
import { renderDerivativeLadder } from '../../../src-main/core/imaging/derivatives';
import { scoreQualityOfLadder } from '../../../src-main/core/imaging/score-quality';
import { DAMAGE_CLASSES, damagedCopy } from '../../fixtures/degraded-copies';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath, speciesOfHalf } from '../../fixtures/shared-data';

if (!hasSharedData) console.warn(SHARED_DATA_SKIP_REASON);

async function scoreOf(bytes: Buffer): Promise<number> {
  const meta = await sharp(bytes).metadata();
  const ladder = await renderDerivativeLadder(await decodeForDerivatives(bytes, '(test)'));
  return (await scoreQualityOfLadder(meta.width!, meta.height!, ladder)).score;
}

describe.skipIf(!hasSharedData)('quality of degraded copies of ../shared/data (eval half)', () => {
  it('scores every damaged copy below its original for a spread of eval species', async () => {
    // Every fifth eval species: a spread of genera, small enough for the suite (bench:quality runs them all).
    const species = speciesOfHalf('eval').filter((_, i) => i % 5 === 0);
    const wrong: string[] = [];
    let pairs = 0;
    for (const [n, code] of species.entries()) {
      const file = readdirSync(sharedDataPath('mushroom-observer', code)).find((f) => f.startsWith('image_'))!;
      const bytes = readFileSync(sharedDataPath('mushroom-observer', code, file));
      const original = await scoreOf(bytes);
      const base = await decodeForDerivatives(bytes, file);
      for (const damage of DAMAGE_CLASSES) {
        const copy = await scoreOf(await damagedCopy(base, damage, n));
        pairs++;
        if (copy >= original) wrong.push(`${damage} ${code}/${file}: ${original} -> ${copy}`);
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(50);
    // bench:quality measured 0.99 per class on the whole eval half; allow one miss in this sample.
    expect(wrong.length, wrong.join('\n')).toBeLessThanOrEqual(1);
  }, 600_000);
});
