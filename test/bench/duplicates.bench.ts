// Near-duplicate benchmark: pairwise precision/recall per transformation (mushroom-observer, or synthetic photos
// when absent) against plain pHash <= 6 measured in the same run; fingerprint cost against the ingest floor;
// the full re-clustering's candidate join on real fingerprints at several sizes (duplicates-scale.ts) against the
// previous join path, extrapolated to 1M, and 1,000 images added incrementally.
// The content check (look-alike negatives, per-class recall, clustering of generated libraries): duplicates-content.ts.
// usage: npm run bench:duplicates -- [--species N] [--variant-species N] [--sizes 25000,50000,100000] [--baseline-up-to N] [--skip-scale | --scale-only [--incremental-only | --upright-gate-only]]
//        [--half tune|eval|all] [--content-species N] [--cluster-sizes 3000,30000] [--eager-up-to N] [--content-only]
//        [--candidate-rules] (only the candidate-rule study of duplicates-candidate-rules.ts, on --half)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../src-shared/defaults';
import { buildClusters, type Edge } from '../../src-main/core/duplicates/cluster-graph';
import { DuplicateIndex } from '../../src-main/core/duplicates/duplicate-index';
import { computeFingerprint, type Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { fingerprintDistance, verifiedMatch } from '../../src-main/core/duplicates/fingerprint-distance';
import { hamming64 } from '../../src-main/core/duplicates/popcount';
import { encodeRaw, renderDerivativeLadder } from '../../src-main/core/imaging/derivatives';
import { DERIVATIVE_FORMATS, DERIVATIVE_NAMES } from '../../src-shared/defaults';
import { decodeLikeIngest, fingerprintOfBytes } from '../fixtures/fingerprint-of';
import { hasSharedData, sharedDataPath } from '../fixtures/shared-data';
import { makePhoto } from '../fixtures/synthetic-photos';
import { makeVariant, VARIANTS } from '../fixtures/variants';
import { candidateRuleBench } from './duplicates-candidate-rules';
import { contentBench } from './duplicates-content';
import { scaleBench } from './duplicates-scale';

const { values } = parseArgs({
  options: {
    species: { type: 'string', default: '100' },
    'variant-species': { type: 'string', default: '30' },
    // Library sizes of the scale part (real fingerprints; the largest is made once and stored, ~2 ms CPU per image).
    sizes: { type: 'string', default: '25000,50000,100000' },
    'baseline-up-to': { type: 'string', default: '100000' },
    'skip-scale': { type: 'boolean', default: false },
    'scale-only': { type: 'boolean', default: false },
    // With --scale-only: only the incremental adds to the largest size, against the previous index (no joins).
    'incremental-only': { type: 'boolean', default: false },
    // With --scale-only: only the pairs the upright gate brings, before and after its key (issue 19/14), per size.
    'upright-gate-only': { type: 'boolean', default: false },
    half: { type: 'string', default: 'eval' },
    'content-species': { type: 'string', default: '50' },
    'cluster-sizes': { type: 'string', default: '3000' },
    // Cluster sizes up to this are also clustered the product's eager way (every candidate confirmed) as a check.
    'eager-up-to': { type: 'string', default: '1000' },
    'content-only': { type: 'boolean', default: false },
    'candidate-rules': { type: 'boolean', default: false },
  },
});
const THRESHOLD = DEFAULT_DUPLICATE_THRESHOLD;
const PLAIN_PHASH_THRESHOLD = 6;
/** Ground truth: a thumbnail whose best-aligned window correlates less than this with both photos is no copy. */
const MIN_COPY_CORRELATION = 0.7;
const notCopies: string[] = [];

interface Item {
  name: string;
  /** The photograph this file shows; two files are true duplicates when their origins are equal. */
  origin: string;
  /** Transformation class of a copy relative to its origin file (null for originals). */
  kind: string | null;
  bytes: Buffer;
  fp?: Fingerprint;
}

// ---------- ground truth ----------

/** Best normalised cross-correlation of the thumbnail with any largest window of its aspect ratio in the photo. */
async function bestWindowCorrelation(thumb: Buffer, photo: Buffer): Promise<number> {
  const tm = await sharp(thumb).metadata();
  const pm = await sharp(photo).metadata();
  const aspect = tm.width! / tm.height!;
  const tw = aspect >= 1 ? 48 : Math.max(8, Math.round(48 * aspect));
  const th = aspect >= 1 ? Math.max(8, Math.round(48 / aspect)) : 48;
  const t = Float64Array.from((await sharp(thumb).resize(tw, th, { fit: 'fill' }).greyscale().raw().toBuffer()).subarray(0, tw * th));
  // Scale the photo so the largest window of the thumbnail's aspect becomes tw x th, then slide it.
  const horizontal = aspect <= pm.width! / pm.height!;
  const scale = horizontal ? th / pm.height! : tw / pm.width!;
  const w = Math.max(tw, Math.round(pm.width! * scale));
  const h = Math.max(th, Math.round(pm.height! * scale));
  const grey = await sharp(photo).resize(w, h, { fit: 'fill' }).greyscale().raw().toBuffer();
  let best = -1;
  for (let off = 0; off <= (horizontal ? w - tw : h - th); off++) {
    const window = new Float64Array(tw * th);
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) window[y * tw + x] = horizontal ? grey[y * w + x + off]! : grey[(y + off) * w + x]!;
    best = Math.max(best, ncc(t, window));
  }
  return best;
}

function ncc(a: Float64Array, b: Float64Array): number {
  const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb || 1);
}

async function loadItems(): Promise<{ items: Item[]; source: string }> {
  const items: Item[] = [];
  const variantSpecies = Number(values['variant-species']);
  if (hasSharedData) {
    const root = sharedDataPath('mushroom-observer');
    const species = readdirSync(root)
      .filter((d) => existsSync(path.join(root, d, 'metadata.json')))
      .sort()
      .slice(0, Number(values.species));
    for (const [i, s] of species.entries()) {
      const image0 = readFileSync(path.join(root, s, 'image_0.webp'));
      const file1 = path.join(root, s, 'image_1.webp');
      const image1 = existsSync(file1) ? readFileSync(file1) : null;
      const thumb = readFileSync(path.join(root, s, 'thumb.webp'));
      items.push({ name: `${s}/image_0`, origin: `${s}/0`, kind: null, bytes: image0 });
      const identical = image1 !== null && image1.equals(image0);
      if (image1)
        items.push({
          name: `${s}/image_1`,
          origin: identical ? `${s}/0` : `${s}/1`,
          kind: identical ? 'identical-bytes' : null,
          bytes: image1,
        });
      const c0 = await bestWindowCorrelation(thumb, image0);
      const c1 = image1 && !identical ? await bestWindowCorrelation(thumb, image1) : -1;
      let thumbOrigin = c1 > c0 ? `${s}/1` : `${s}/0`;
      // The README says every thumbnail is a copy, but one (armsin) shows a third photograph: trust the pixels.
      if (Math.max(c0, c1) < MIN_COPY_CORRELATION) {
        thumbOrigin = `${s}/thumb`;
        notCopies.push(s);
      }
      items.push({ name: `${s}/thumb`, origin: thumbOrigin, kind: 'mo-thumbnail', bytes: thumb });
      if (i < variantSpecies)
        for (const v of VARIANTS) items.push({ name: `${s}/${v}`, origin: `${s}/0`, kind: v, bytes: await makeVariant(image0, v) });
    }
    return {
      items,
      source: `mushroom-observer (${species.length} species, variants of image_0 for ${Math.min(variantSpecies, species.length)})`,
    };
  }
  for (let i = 0; i < variantSpecies; i++) {
    const photo = await makePhoto(7000 + i, { width: 800, height: 600, format: 'jpeg' });
    items.push({ name: `synthetic-${i}`, origin: `s${i}`, kind: null, bytes: photo });
    for (const v of VARIANTS) items.push({ name: `synthetic-${i}/${v}`, origin: `s${i}`, kind: v, bytes: await makeVariant(photo, v) });
  }
  return { items, source: `synthetic photos (${variantSpecies}; ../shared/data not found)` };
}

// ---------- accuracy ----------

function clusterLabels(items: Item[]): number[] {
  const index = new DuplicateIndex();
  items.forEach((it, i) => index.add(i, it.fp!));
  const edges: Edge[] = [];
  items.forEach((it, i) => {
    for (const j of index.candidates(i, it.fp!, THRESHOLD, false)) {
      const match = verifiedMatch(it.fp!, items[j]!.fp!, THRESHOLD);
      if (match) edges.push({ a: Math.min(i, j), b: Math.max(i, j), distance: match.distance });
    }
  });
  const clusters = buildClusters(
    items.map((_, id) => ({ id, quality: 0, width: 1, height: 1 })),
    edges,
    { notDuplicate: [], merges: [], representatives: [] },
    () => 0,
  );
  const label = items.map((_, i) => -1 - i);
  clusters.forEach((c, k) => c.members.forEach((m) => (label[m] = k)));
  return label;
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
  perKind: Map<string, { found: number; total: number }>;
}

function score(items: Item[], predicted: (i: number, j: number) => boolean): Score {
  const s: Score = { tp: 0, fp: 0, fn: 0, perKind: new Map() };
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const truth = items[i]!.origin === items[j]!.origin;
      const said = predicted(i, j);
      if (truth && said) s.tp++;
      else if (said) s.fp++;
      else if (truth) s.fn++;
      // Per-class recall counts each copy against its original file only.
      const copy = items[i]!.kind === null ? items[j]! : items[j]!.kind === null ? items[i]! : null;
      const original = copy === items[j] ? items[i]! : items[j]!;
      if (truth && copy && copy.kind && original.kind === null) {
        const k = s.perKind.get(copy.kind) ?? { found: 0, total: 0 };
        k.total++;
        if (said) k.found++;
        s.perKind.set(copy.kind, k);
      }
    }
  return s;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const precision = (s: Score) => (s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp));
const recall = (s: Score) => (s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn));

async function accuracy(): Promise<void> {
  const started = performance.now();
  const { items, source } = await loadItems();
  for (const it of items) it.fp = await fingerprintOfBytes(it.bytes);
  console.log(
    `\n== accuracy on ${source}: ${items.length} files, ${(items.length * (items.length - 1)) / 2} pairs (prepared in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const labels = clusterLabels(items);
  const ours = score(items, (i, j) => labels[i] === labels[j]);
  const plain = score(
    items,
    (i, j) =>
      hamming64(items[i]!.fp!.dihedral[0]!, items[i]!.fp!.dihedral[1]!, items[j]!.fp!.dihedral[0]!, items[j]!.fp!.dihedral[1]!) <=
      PLAIN_PHASH_THRESHOLD,
  );
  if (notCopies.length)
    console.log(
      `ground truth: thumbnail of ${notCopies.join(', ')} matches neither photo (window correlation < ${MIN_COPY_CORRELATION}); counted as a distinct photo`,
    );
  console.log(`${'transformation'.padEnd(18)} ${'ours (clusters, T=10)'.padEnd(22)} plain pHash <= 6`);
  for (const [kind, k] of [...ours.perKind.entries()].sort()) {
    const base = plain.perKind.get(kind)!;
    console.log(`${kind.padEnd(18)} ${`${pct(k.found / k.total)} (${k.found}/${k.total})`.padEnd(22)} ${pct(base.found / base.total)}`);
  }
  console.log(
    `${'ALL PAIRS'.padEnd(18)} precision ${pct(precision(ours))} recall ${pct(recall(ours))} (tp ${ours.tp}, fp ${ours.fp}, fn ${ours.fn})`,
  );
  console.log(
    `${'baseline'.padEnd(18)} precision ${pct(precision(plain))} recall ${pct(recall(plain))} (tp ${plain.tp}, fp ${plain.fp}, fn ${plain.fn})`,
  );
  const wrong: string[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++)
      if (labels[i] === labels[j] && items[i]!.origin !== items[j]!.origin) wrong.push(`${items[i]!.name} ~ ${items[j]!.name}`);
  if (wrong.length) console.log(`false merges: ${wrong.slice(0, 10).join('; ')}${wrong.length > 10 ? ' ...' : ''}`);
  const hasOriginal = (it: Item) => items.some((o) => o.kind === null && o.origin === it.origin);
  const missed = items.filter(
    (it, i) =>
      it.kind !== null && hasOriginal(it) && !items.some((o, j) => o.kind === null && o.origin === it.origin && labels[i] === labels[j]),
  );
  if (missed.length) {
    const detail = missed.slice(0, 10).map((m) => {
      const original = items.find((o) => o.kind === null && o.origin === m.origin)!;
      const match = fingerprintDistance(m.fp!, original.fp!);
      return `${m.name} (distance ${match.distance}, correlation ${match.correlation.toFixed(3)})`;
    });
    console.log(`copies missed: ${detail.join('; ')}`);
  }
}

// ---------- per-image cost ----------

async function fingerprintCost(): Promise<void> {
  sharp.concurrency(1);
  const files = hasSharedData
    ? readdirSync(sharedDataPath('hq'))
        .filter((f) => /\.jpe?g$/i.test(f))
        .slice(0, 6)
        .map((f) => readFileSync(sharedDataPath('hq', f)))
    : await Promise.all([0, 1, 2, 3].map((i) => makePhoto(9100 + i, { width: 2400, height: 1600 })));
  let floor = 0;
  let fingerprint = 0;
  for (const bytes of files) {
    let t = performance.now();
    const ladder = await renderDerivativeLadder(await decodeLikeIngest(bytes));
    for (const size of DERIVATIVE_NAMES) for (const format of DERIVATIVE_FORMATS) await encodeRaw(ladder[size], format);
    floor += performance.now() - t;
    t = performance.now();
    computeFingerprint(ladder);
    fingerprint += performance.now() - t;
  }
  console.log(
    `\n== fingerprint cost: ${(fingerprint / files.length).toFixed(1)} ms/image = ${pct(fingerprint / floor)} of the ingest floor (decode + 8 encodes, ${(floor / files.length).toFixed(0)} ms/image)`,
  );
}

/**
 * One-sided crops are beyond test/fixtures/variants.ts (which crops every edge alike); measured here so the
 * limit is on record: the region hashes cover centred crops and square windows, not every asymmetric cut.
 */
async function oneSidedCrops(): Promise<void> {
  if (!hasSharedData) return;
  const root = sharedDataPath('mushroom-observer');
  const species = readdirSync(root)
    .filter((d) => existsSync(path.join(root, d, 'image_1.webp')))
    .sort()
    .slice(0, Number(values['variant-species']));
  const cuts: Record<string, [number, number, number, number]> = {
    'left edge 10%': [0.1, 0, 0, 0],
    'left edge 20%': [0.2, 0, 0, 0],
    'top+left 20%': [0.2, 0.2, 0, 0],
    'left 5% right 15%': [0.05, 0, 0.15, 0],
    'right 20% bottom 5%': [0, 0, 0.2, 0.05],
  };
  console.log('\none-sided crops (not in variants.ts), pairwise against the original:');
  for (const [name, [l, t, r, b]] of Object.entries(cuts)) {
    let found = 0;
    for (const s of species) {
      const bytes = readFileSync(path.join(root, s, 'image_0.webp'));
      const { width = 0, height = 0 } = await sharp(bytes).metadata();
      const region = {
        left: Math.round(width * l),
        top: Math.round(height * t),
        width: Math.floor(width * (1 - l - r)),
        height: Math.floor(height * (1 - t - b)),
      };
      const copy = await fingerprintOfBytes(await sharp(bytes).extract(region).jpeg({ quality: 90 }).toBuffer());
      if (verifiedMatch(copy, await fingerprintOfBytes(bytes), THRESHOLD)) found++;
    }
    console.log(`${name.padEnd(18)} ${pct(found / species.length)} (${found}/${species.length})`);
  }
}

if (values['candidate-rules']) {
  const half = values.half;
  if (half !== 'tune' && half !== 'eval') throw new Error(`--candidate-rules takes --half tune or eval, not ${half}`);
  if (hasSharedData) await candidateRuleBench({ half, variantSpecies: Number(values['content-species']) });
  else console.log('\ncandidate rules: skipped: ../shared/data not found (set SPOREPRINT_SHARED_DATA)');
  process.exit(0);
}
if (values['content-only'] || !values['scale-only']) {
  if (hasSharedData) {
    const half = values.half;
    if (half !== 'tune' && half !== 'eval' && half !== 'all') throw new Error(`--half must be tune, eval or all, not ${half}`);
    await contentBench({
      half,
      variantSpecies: Number(values['content-species']),
      clusterSizes: values['cluster-sizes'].split(',').filter(Boolean).map(Number),
      eagerUpTo: Number(values['eager-up-to']),
    });
  } else console.log('\ncontent check: skipped: ../shared/data not found (set SPOREPRINT_SHARED_DATA)');
}
if (!values['scale-only'] && !values['content-only']) {
  await accuracy();
  await oneSidedCrops();
  await fingerprintCost();
}
if (!values['skip-scale'] && !values['content-only']) {
  if (hasSharedData)
    await scaleBench({
      sizes: values.sizes.split(',').filter(Boolean).map(Number),
      baselineUpTo: Number(values['baseline-up-to']),
      incrementalOnly: values['incremental-only'],
      uprightGateOnly: values['upright-gate-only'],
    });
  else console.log('\nscale: skipped: real fingerprints are made from ../shared/data, not found (set SPOREPRINT_SHARED_DATA)');
}
