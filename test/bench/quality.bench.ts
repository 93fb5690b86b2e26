// Quality benchmark: degraded copies of ../shared/data field photos (JPEG q8-15, blur, noise, dark, blown, half
// size) must score below their original; prints the share ordered right per class for the current scorer and,
// as the baseline, the version-1 scorer on the same decoded renditions. Bokeh: a synthetic macro copy (subject
// kept, background blurred) must stay within 10 points of its original while a fully blurred copy drops.
// usage: npm run bench:quality -- [--half tune|eval|both] [--species N]
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { decodeForDerivatives } from '../../src-main/core/imaging/analyze-image';
import { renderDerivativeLadder } from '../../src-main/core/imaging/derivatives';
import type { GreyImage } from '../../src-main/core/imaging/quality';
import { scoreQualityOfLadder } from '../../src-main/core/imaging/score-quality';
import { ANALYSIS_LONG_EDGE } from '../../src-shared/defaults';
import { bokehCopy, DAMAGE_CLASSES, damagedCopy, fullyBlurredCopy, type DamageClass } from '../fixtures/degraded-copies';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath, speciesOfHalf, type DataHalf } from '../fixtures/shared-data';
import { computeQualityV1 } from './quality-v1-baseline';

const { values } = parseArgs({
  options: {
    half: { type: 'string', default: 'both' },
    species: { type: 'string', default: '50' },
    verbose: { type: 'boolean', default: false },
  },
});

interface Scores {
  current: number;
  baseline: number;
  components: Awaited<ReturnType<typeof scoreQualityOfLadder>>['components'];
}

/** Both scorers on the renditions ingest makes from these bytes. */
async function scoresOf(bytes: Buffer): Promise<Scores> {
  const base = await decodeForDerivatives(bytes, '(bench)');
  const meta = await sharp(bytes).metadata();
  const width = meta.width!;
  const height = meta.height!;
  const ladder = await renderDerivativeLadder(base);
  const current = await scoreQualityOfLadder(width, height, ladder);
  const { data, info } = await sharp(ladder.medium.data, { raw: ladder.medium })
    .resize({ width: ANALYSIS_LONG_EDGE, height: ANALYSIS_LONG_EDGE, fit: 'inside' })
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const analysis: GreyImage = { data, width: info.width, height: info.height };
  const baseline = computeQualityV1({ width, height, analysis, colour: { ...ladder.small } }).score;
  return { current: current.score, baseline, components: current.components };
}

interface Tally {
  right: number;
  rightBaseline: number;
  total: number;
  drop: number;
}

async function runHalf(half: DataHalf, limit: number): Promise<void> {
  const species = speciesOfHalf(half).slice(0, limit);
  const tallies = new Map<string, Tally>(
    [...DAMAGE_CLASSES, 'bokeh within 10', 'full blur >= 10 below bokeh'].map((c) => [
      c,
      { right: 0, rightBaseline: 0, total: 0, drop: 0 },
    ]),
  );
  const seen = new Set<string>();
  let variant = 0;
  for (const code of species) {
    const files = readdirSync(sharedDataPath('mushroom-observer', code)).filter((f) => /^image_\d+\.\w+$/.test(f));
    for (const file of files.sort()) {
      const bytes = readFileSync(sharedDataPath('mushroom-observer', code, file));
      const key = bytes.toString('base64', 0, 64) + bytes.length;
      if (seen.has(key)) continue; // byte-identical image_0/image_1
      seen.add(key);
      const original = await scoresOf(bytes);
      const base = await decodeForDerivatives(bytes, file);
      for (const damage of DAMAGE_CLASSES) {
        const copy = await scoresOf(await damagedCopy(base, damage, variant));
        const t = tallies.get(damage)!;
        t.total++;
        t.drop += original.current - copy.current;
        if (copy.current < original.current) t.right++;
        else if (values.verbose) report(code, file, damage, original, copy);
        if (copy.baseline < original.baseline) t.rightBaseline++;
      }
      const bokeh = await scoresOf(await bokehCopy(base));
      const blurred = await scoresOf(await fullyBlurredCopy(base));
      const b = tallies.get('bokeh within 10')!;
      b.total++;
      b.drop += original.current - bokeh.current;
      if (Math.abs(original.current - bokeh.current) <= 10) b.right++;
      else if (values.verbose) report(code, file, 'bokeh', original, bokeh);
      if (Math.abs(original.baseline - bokeh.baseline) <= 10) b.rightBaseline++;
      const f = tallies.get('full blur >= 10 below bokeh')!;
      f.total++;
      f.drop += bokeh.current - blurred.current;
      if (blurred.current <= bokeh.current - 10) f.right++;
      if (blurred.baseline <= bokeh.baseline - 10) f.rightBaseline++;
      variant++;
    }
  }
  console.log(`\n${half} half: ${seen.size} photos of ${species.length} species`);
  console.log('class                        | ordered right (v2) | baseline v1 | mean drop v2');
  let right = 0;
  let rightBaseline = 0;
  let total = 0;
  for (const [name, t] of tallies) {
    console.log(
      `${name.padEnd(28)} | ${(t.right / t.total).toFixed(3).padStart(18)} | ${(t.rightBaseline / t.total).toFixed(3).padStart(11)} | ${(t.drop / t.total).toFixed(1).padStart(12)}`,
    );
    if ((DAMAGE_CLASSES as readonly string[]).includes(name)) {
      right += t.right;
      rightBaseline += t.rightBaseline;
      total += t.total;
    }
  }
  console.log(
    `${'all damage classes'.padEnd(28)} | ${(right / total).toFixed(3).padStart(18)} | ${(rightBaseline / total).toFixed(3).padStart(11)} |`,
  );
}

function report(code: string, file: string, damage: DamageClass | 'bokeh', original: Scores, copy: Scores): void {
  console.log(
    `  ${damage} ${code}/${file}: ${original.current} -> ${copy.current}`,
    JSON.stringify(original.components),
    JSON.stringify(copy.components),
  );
}

if (!hasSharedData) console.log(SHARED_DATA_SKIP_REASON);
else {
  const halves: DataHalf[] = values.half === 'both' ? ['tune', 'eval'] : [values.half as DataHalf];
  for (const half of halves) await runHalf(half, Number(values.species));
}
