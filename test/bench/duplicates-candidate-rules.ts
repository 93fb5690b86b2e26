// bench:duplicates, candidate-rule part (issue 19): would a sharper candidate selection than "some hash pair within
// the threshold" keep every copy the product confirms while proposing fewer pairs of different photos? Each rule is
// applied to the same pairs: the half's copies (every class of variants.ts and hard-variants.ts) against their
// photo, and every pair of distinct photos of the half plus each copy against the specimen's other photo.
// Rules are chosen on speciesOfHalf('tune') and reported on 'eval' (--half).
import { DEFAULT_DUPLICATE_THRESHOLD, WHOLE_PICTURE_MARGIN } from '../../src-shared/defaults';
import { confirmPair } from '../../src-main/core/duplicates/confirm-candidates';
import { hamming64 } from '../../src-main/core/duplicates/popcount';
import { EDITED_COPY_WINDOWS } from '../../src-main/core/imaging/edited-copy-windows';
import { dihedralDctBlocks, SIDE_REGIONS, type Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { pairSubjectOfBytes } from '../fixtures/fingerprint-of';
import { HARD_VARIANTS, makeHardVariant } from '../fixtures/hard-variants';
import type { DataHalf } from '../fixtures/shared-data';
import { makeVariant, VARIANTS } from '../fixtures/variants';
import { loadPhotos } from './duplicates-content';

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
  for (const [copy, original] of [
    [a, b],
    [b, a],
  ] as const) {
    const regions = original.regions.length / 2;
    for (let j = 0; j < 8; j++) {
      const hi = copy.dihedral[2 * j]!;
      const lo = copy.dihedral[2 * j + 1]!;
      for (let k = -1; k < regions; k++) {
        const d =
          k < 0
            ? hamming64(hi, lo, original.dihedral[0]!, original.dihedral[1]!)
            : hamming64(hi, lo, original.regions[2 * k]!, original.regions[2 * k + 1]!);
        if (d > (k < 0 ? T + WHOLE_PICTURE_MARGIN : T)) continue;
        hits.push({
          distance: d,
          target: k < 0 ? 'whole' : targetOf(k, regions),
          correlation: () => correlationOf(copy, j, original, k + 1),
        });
      }
    }
  }
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

export async function candidateRuleBench(options: { half: DataHalf; variantSpecies: number }): Promise<void> {
  const photos = await loadPhotos(options.half);
  const negatives: HashHit[][] = [];
  let negativePairs = 0;
  for (let i = 0; i < photos.length; i++)
    for (let j = i + 1; j < photos.length; j++) {
      negativePairs++;
      const hits = hitsOf(photos[i]!.subject.fingerprint, photos[j]!.subject.fingerprint);
      if (hits.length) negatives.push(hits);
    }
  // Copies the product confirms, per class: a rule must keep every one of them.
  const confirmed = new Map<string, HashHit[][]>();
  const species = [...new Set(photos.map((p) => p.species))].slice(0, options.variantSpecies);
  for (const [k, s] of species.entries()) {
    const [original, other] = photos.filter((p) => p.species === s);
    const copies: [string, Buffer][] = [];
    for (const v of VARIANTS) copies.push([v, await makeVariant(original!.bytes, v)]);
    for (const v of HARD_VARIANTS) copies.push([v, await makeHardVariant(original!.bytes, v, 1000 + k)]);
    for (const [kind, bytes] of copies) {
      const copy = await pairSubjectOfBytes(bytes);
      if (confirmPair(copy, original!.subject, T)) {
        const list = confirmed.get(kind) ?? confirmed.set(kind, []).get(kind)!;
        list.push(hitsOf(copy.fingerprint, original!.subject.fingerprint));
      }
      if (other) {
        negativePairs++;
        const hits = hitsOf(copy.fingerprint, other.subject.fingerprint);
        if (hits.length) negatives.push(hits);
      }
    }
  }
  const copies = [...confirmed.values()].reduce((n, l) => n + l.length, 0);
  console.log(
    `\n== candidate rules on the ${options.half} half: ${copies} copies the product confirms (${species.length} photos x ${VARIANTS.length + HARD_VARIANTS.length} classes), ` +
      `${negativePairs.toLocaleString()} pairs of different photos`,
  );
  console.log(`${'rule'.padEnd(34)} ${'copies kept'.padEnd(13)} ${'false candidates'.padEnd(18)} classes that lose copies`);
  for (const [name, rule] of RULES) {
    let kept = 0;
    const losses: string[] = [];
    for (const [kind, list] of confirmed) {
      const k = list.filter(rule).length;
      kept += k;
      if (k < list.length) losses.push(`${kind} ${k}/${list.length}`);
    }
    const falseCandidates = negatives.filter(rule).length;
    console.log(
      `${name.padEnd(34)} ${`${kept}/${copies}`.padEnd(13)} ${`${falseCandidates} (${((falseCandidates / negativePairs) * 1e6).toFixed(0)}/1M)`.padEnd(18)} ${losses.join(', ') || '(none)'}`,
    );
  }
}
