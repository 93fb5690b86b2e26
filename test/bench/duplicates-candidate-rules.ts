// bench:duplicates, candidate-rule part (issue 19): would a sharper candidate selection than "some hash pair within
// the threshold" keep every copy the product confirms while proposing fewer pairs of different photos? Each rule is
// applied to the same pairs: the half's copies (every class of variants.ts and hard-variants.ts) against their
// photo, and every pair of distinct photos of the half plus each copy against the specimen's other photo.
// Rules are chosen on speciesOfHalf('tune') and reported on 'eval' (--half).
import { DEFAULT_DUPLICATE_THRESHOLD, WHOLE_PICTURE_MARGIN } from '../../src-shared/defaults';
import { confirmPair } from '../../src-main/core/duplicates/confirm-candidates';
import { someHashPair } from '../../src-main/core/duplicates/fingerprint-distance';
import { hamming64 } from '../../src-main/core/duplicates/popcount';
import { EDITED_COPY_WINDOWS } from '../../src-main/core/imaging/edited-copy-windows';
import { dihedralDctBlocks, SIDE_REGIONS, type Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { pairSubjectOfBytes } from '../fixtures/fingerprint-of';
import { HARD_VARIANTS, makeHardVariant } from '../fixtures/hard-variants';
import type { DataHalf } from '../fixtures/shared-data';
import { makeVariant, VARIANTS } from '../fixtures/variants';
import { loadPhotos } from './duplicates-content';
import { secondHashesOfBytes, SECOND_HASH_DESIGNS, type SecondHashes } from './second-hash-designs';

const T = DEFAULT_DUPLICATE_THRESHOLD;

/** What a rule may read of a pair: every hash pair the product's candidate search compares, with its distance. */
interface HashHit {
  distance: number;
  /** 'whole' = whole picture against whole picture; otherwise the kind of region of the other image. */
  target: 'whole' | 'centre' | 'side' | 'square' | 'edited';
  correlation: () => number;
}

function targetOf(k: number, regions: number): HashHit['target'] {
  if (k < SIDE_REGIONS.start) return 'centre';
  if (k < SIDE_REGIONS.end) return 'side';
  return k >= regions - EDITED_COPY_WINDOWS ? 'edited' : 'square';
}

/**
 * Every hash pair the product's candidate search accepts: the copy's flips/rotations against the other's regions
 * within T and against its whole picture within T + WHOLE_PICTURE_MARGIN, both ways.
 */
function hitsOf(a: Fingerprint, b: Fingerprint): HashHit[] {
  const hits: HashHit[] = [];
  someHashPair(a, b, (copy, j, original, k) => {
    const target = k < 0 ? original.dihedral : original.regions;
    const at = k < 0 ? 0 : 2 * k;
    const d = hamming64(copy.dihedral[2 * j]!, copy.dihedral[2 * j + 1]!, target[at]!, target[at + 1]!);
    if (d <= (k < 0 ? T + WHOLE_PICTURE_MARGIN : T))
      hits.push({
        distance: d,
        target: k < 0 ? 'whole' : targetOf(k, original.regions.length / 2),
        correlation: () => correlationOf(copy, j, original, k + 1),
      });
    return false;
  });
  return hits;
}

function correlationOf(copy: Fingerprint, transform: number, original: Fingerprint, block: number): number {
  const x = dihedralDctBlocks(Float64Array.from(copy.coefficients.subarray(0, 64)))[transform]!;
  const y = original.coefficients.subarray(block * 64, block * 64 + 64);
  let mx = 0;
  let my = 0;
  for (let i = 1; i < 64; i++) {
    mx += x[i]! / 63;
    my += y[i]! / 63;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 1; i < 64; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

const RULES: [string, (hits: HashHit[]) => boolean][] = [
  [`product: region <= ${T} or whole <= ${T + WHOLE_PICTURE_MARGIN}`, (h) => h.length > 0],
  ['regions <= 8, whole as product', (h) => h.some((x) => x.target === 'whole' || x.distance <= 8)],
  ['regions <= 6, whole as product', (h) => h.some((x) => x.target === 'whole' || x.distance <= 6)],
  ['side/square/edited <= 6', (h) => h.some((x) => x.target === 'whole' || x.target === 'centre' || x.distance <= 6)],
  ['two hash pairs agree', (h) => h.length >= 2],
  ['best pair DCT correlation >= 0.9', (h) => h.some((x) => x.correlation() >= 0.9)],
];

/** A fingerprint with every second-hash design's hashes of the same windows. */
interface Subject {
  fingerprint: Fingerprint;
  second: SecondHashes[];
}

/** What the second-hash rules read of a pair, per design (see rules()). */
interface PairStats {
  name: string;
  hits: HashHit[];
  /** Per hash pair the product accepts: d1 less the whole-picture margin, then every design's d2 on that pair. */
  gated: number[][];
  /** Smallest d1 + d2 over every hash pair (a whole-picture pair counts WHOLE_PICTURE_MARGIN less). */
  sum: number[];
}

function statsOf(a: Subject, b: Subject, name: string): PairStats {
  const gated: number[][] = [];
  const sum = SECOND_HASH_DESIGNS.map(() => Infinity);
  const second = new Map([
    [a.fingerprint, a.second],
    [b.fingerprint, b.second],
  ]);
  someHashPair(a.fingerprint, b.fingerprint, (copy, j, original, k) => {
    const target = k < 0 ? original.dihedral : original.regions;
    const at = k < 0 ? 0 : 2 * k;
    const d1 = hamming64(copy.dihedral[2 * j]!, copy.dihedral[2 * j + 1]!, target[at]!, target[at + 1]!);
    const margin = k < 0 ? WHOLE_PICTURE_MARGIN : 0;
    const d2 = SECOND_HASH_DESIGNS.map((_, s) => {
      const mine = second.get(copy)![s]!.dihedral;
      const theirs = k < 0 ? second.get(original)![s]!.dihedral : second.get(original)![s]!.targets;
      return hamming64(mine[2 * j]!, mine[2 * j + 1]!, theirs[at]!, theirs[at + 1]!);
    });
    d2.forEach((d, s) => (sum[s] = Math.min(sum[s]!, d1 + d - margin)));
    if (d1 <= T + margin) gated.push([d1 - margin, ...d2]);
    return false;
  });
  return { name, hits: hitsOf(a.fingerprint, b.fingerprint), gated, sum };
}

/** Two ways to use a second hash: a gate after the product's 64-bit candidates, or one 128-bit key (d1 + d2). */
const GATE_VALUES = [6, 8, 10, 12, 14, 16, 18, 20];
const SUM_VALUES = [14, 16, 18, 20, 22, 24, 26, 28];

interface Rule {
  name: string;
  accepts: (stats: PairStats) => boolean;
}

const designIndex = (name: string) => SECOND_HASH_DESIGNS.findIndex((d) => d.name === name);

function rules(): Rule[] {
  const out: Rule[] = RULES.map(([name, rule]) => ({ name, accepts: (s: PairStats) => rule(s.hits) }));
  SECOND_HASH_DESIGNS.forEach((design, d) => {
    for (const g of GATE_VALUES)
      out.push({ name: `${design.name}: product hit and d2 <= ${g}`, accepts: (s) => s.gated.some((h) => h[1 + d]! <= g) });
    for (const v of SUM_VALUES) out.push({ name: `${design.name}: d1 + d2 <= ${v}`, accepts: (s) => s.sum[d]! <= v });
    for (const v of SUM_VALUES)
      out.push({ name: `${design.name}: product hit and d1 + d2 <= ${v}`, accepts: (s) => s.gated.some((h) => h[0]! + h[1 + d]! <= v) });
    // The product's candidates (a 64-bit join) filtered by the key on any hash pair: all the pure key keeps of them.
    for (const v of SUM_VALUES)
      out.push({ name: `${design.name}: product cand. and d1 + d2 <= ${v}`, accepts: (s) => s.hits.length > 0 && s.sum[d]! <= v });
  });
  // Two second hashes on the same hash pair: the edges' layout and the next DCT band, each with its own radius.
  const gradient = designIndex('pHash of gradient magnitude');
  const band = designIndex('DCT band 8-15');
  const blocks = designIndex('block vs neighbours (8x8)');
  for (const [g1, g2] of [
    [14, 20],
    [14, 22],
    [14, 24],
    [16, 22],
    [16, 24],
  ] as const) {
    out.push({
      name: `gradient <= ${g1} and band 8-15 <= ${g2}, same pair`,
      accepts: (s) => s.gated.some((h) => h[1 + gradient]! <= g1 && h[1 + band]! <= g2),
    });
    out.push({
      name: `gradient <= ${g1} and blocks <= ${g2 - 4}, same pair`,
      accepts: (s) => s.gated.some((h) => h[1 + gradient]! <= g1 && h[1 + blocks]! <= g2 - 4),
    });
    out.push({
      name: `gradient + blocks <= ${g1 + g2 - 4}, same pair`,
      accepts: (s) => s.gated.some((h) => h[1 + gradient]! + h[1 + blocks]! <= g1 + g2 - 4),
    });
  }
  return out;
}

async function subjectOf(bytes: Buffer, fingerprint: Fingerprint): Promise<Subject> {
  const second = await secondHashesOfBytes(bytes);
  for (const s of second)
    if (s.targets.length !== fingerprint.regions.length) throw new Error('a second hash design read other windows than the fingerprint');
  return { fingerprint, second };
}

export async function candidateRuleBench(options: { half: DataHalf; variantSpecies: number }): Promise<void> {
  const photos = await loadPhotos(options.half);
  const subjects = await Promise.all(photos.map((p) => subjectOf(p.bytes, p.subject.fingerprint)));
  const photoPairs: PairStats[] = [];
  for (let i = 0; i < photos.length; i++)
    for (let j = i + 1; j < photos.length; j++)
      // A crop and its frame (one capture, loadPhotos) are not a pair of different photos.
      if (photos[i]!.capture !== photos[j]!.capture)
        photoPairs.push(statsOf(subjects[i]!, subjects[j]!, `${photos[i]!.name} ~ ${photos[j]!.name}`));
  // Copies the product confirms, per class: a rule must keep every one of them.
  const confirmed = new Map<string, PairStats[]>();
  // Each copy against the specimen's other photo (the product's table), and against every other photo of the half.
  const otherView: PairStats[] = [];
  const copyVsOthers: PairStats[] = [];
  const species = [...new Set(photos.map((p) => p.species))].slice(0, options.variantSpecies);
  for (const [k, s] of species.entries()) {
    const original = photos.findIndex((p) => p.species === s);
    const copies: [string, Buffer][] = [];
    for (const v of VARIANTS) copies.push([v, await makeVariant(photos[original]!.bytes, v)]);
    for (const v of HARD_VARIANTS) copies.push([v, await makeHardVariant(photos[original]!.bytes, v, 1000 + k)]);
    for (const [kind, bytes] of copies) {
      const pair = await pairSubjectOfBytes(bytes);
      const copy = await subjectOf(bytes, pair.fingerprint);
      if (confirmPair(pair, photos[original]!.subject, T)) {
        const list = confirmed.get(kind) ?? confirmed.set(kind, []).get(kind)!;
        list.push(statsOf(copy, subjects[original]!, `${kind} of ${photos[original]!.name}`));
      }
      photos.forEach((other, i) => {
        if (i === original || other.capture === photos[original]!.capture) return;
        const stats = statsOf(copy, subjects[i]!, `${kind} of ${photos[original]!.name} ~ ${other.name}`);
        (other.species === s ? otherView : copyVsOthers).push(stats);
      });
    }
  }
  const copies = [...confirmed.values()].reduce((n, l) => n + l.length, 0);
  const negatives = [...photoPairs, ...otherView];
  console.log(
    `\n== candidate rules on the ${options.half} half: ${copies} copies the product confirms (${species.length} photos x ${VARIANTS.length + HARD_VARIANTS.length} classes), ` +
      `${negatives.length.toLocaleString()} pairs of different photos (${photoPairs.length.toLocaleString()} photo pairs, ${otherView.length} copies vs the other view), ` +
      `${copyVsOthers.length.toLocaleString()} more pairs of a copy and another species' photo`,
  );
  const perMillion = (n: number, of: number) => `${n} (${((n / of) * 1e6).toFixed(0)}/1M)`;
  console.log(
    `${'rule'.padEnd(62)} ${'copies kept'.padEnd(12)} ${'false cand.'.padEnd(14)} ${'copy vs other sp.'.padEnd(18)} classes that lose copies`,
  );
  for (const rule of rules()) {
    let kept = 0;
    const losses: string[] = [];
    for (const [kind, list] of confirmed) {
      const k = list.filter(rule.accepts).length;
      kept += k;
      if (k < list.length) losses.push(`${kind} ${k}/${list.length}`);
    }
    console.log(
      `${rule.name.padEnd(62)} ${`${kept}/${copies}`.padEnd(12)} ${perMillion(negatives.filter(rule.accepts).length, negatives.length).padEnd(14)} ` +
        `${perMillion(copyVsOthers.filter(rule.accepts).length, copyVsOthers.length).padEnd(18)} ${losses.join(', ') || '(none)'}`,
    );
    if (process.env.SPOREPRINT_LIST_FALSE === rule.name)
      for (const s of [...negatives, ...copyVsOthers].filter(rule.accepts)) console.log(`    false candidate: ${s.name}`);
  }
}
