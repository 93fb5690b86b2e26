// bench:duplicates, content-check part (issue 14): look-alike negatives, per-class recall of copies, cost per
// verified pair, and clustering of generated libraries (largest cluster, weakest link) against the previous rule
// (hash distance + DCT correlation, clusters as connected components) measured in the same run. Data is built here
// from ../shared/data: tuned on speciesOfHalf('tune'), reported on 'eval' (--half).
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { CONTENT_BYPASS_DISTANCE, DEFAULT_DUPLICATE_THRESHOLD, WHOLE_PICTURE_MARGIN } from '../../src-shared/defaults';
import { ByteBudgetCache } from '../../src-main/core/byte-budget-cache';
import { CandidateGroups } from '../../src-main/core/duplicates/candidate-groups';
import {
  buildClusters,
  buildClustersFromGroups,
  type BuiltCluster,
  type ClusterDecisions,
  type Edge,
} from '../../src-main/core/duplicates/cluster-graph';
import { confirmPair, PREPARED_CACHE_BYTES, preparedBytes, type PairSubject } from '../../src-main/core/duplicates/confirm-candidates';
import { candidateGates, contentOnlyGate, NO_WIDE_GATES, type CandidateGates } from '../../src-main/core/duplicates/content-only-gate';
import { DuplicateIndex } from '../../src-main/core/duplicates/duplicate-index';
import { fingerprintFromImage, parseFingerprint } from '../../src-main/core/imaging/fingerprint';
import { edgeKeyAgrees, fingerprintMatches, verifiedMatch } from '../../src-main/core/duplicates/fingerprint-distance';
import { JoinWorkers } from '../../src-main/core/duplicates/parallel-join';
import { computeMatchThumbnail } from '../../src-main/core/imaging/match-thumbnail';
import { prepareThumbnail } from '../../src-main/core/duplicates/verify/verify-pair';
import type { RawImage } from '../../src-main/core/imaging/derivatives';
import { pairSubjectOfBytes } from '../fixtures/fingerprint-of';
import { HARD_VARIANTS, makeHardVariant } from '../fixtures/hard-variants';
import { sharedDataPath, speciesOfHalf, type DataHalf } from '../fixtures/shared-data';
import { seededRandom } from '../fixtures/synthetic-photos';
import { countGates, gateTally, gateVerdicts, printGateRules, type GateTally, type GateVerdicts } from './duplicates-gate-rules';
import { makeVariant, VARIANTS } from '../fixtures/variants';
import { registerCapture, SAME_CAPTURE_CORRELATION } from './same-capture';

const T = DEFAULT_DUPLICATE_THRESHOLD;
const NO_DECISIONS: ClusterDecisions = { notDuplicate: [], merges: [], representatives: [] };
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
/** The candidate rule of fingerprint v4 (before off-centre windows and the upright margin), measured in the same run. */
const V4_GATES: CandidateGates = { ...NO_WIDE_GATES, wholeMargin: WHOLE_PICTURE_MARGIN };

export interface Photo {
  name: string;
  species: string;
  /** The capture the photo's pixels come from: its own name, or the name of the photo it is a crop of. */
  capture: string;
  bytes: Buffer;
  subject: PairSubject;
}

/** Bypass distances swept on the tune half (-1 = no bypass: the content check alone decides every candidate). */
const BYPASS_VALUES = Array.from({ length: T + 2 }, (_, i) => i - 1);

interface Verdict {
  ours: boolean;
  /** `ours` under the v4 candidate rule (V4_GATES): before/after in one run. */
  v4: boolean;
  /** The pair is a candidate (some hash pair within the threshold, or a wide gate), under ours and under v4. */
  candidate: boolean;
  candidateV4: boolean;
  contentOnly: boolean;
  previous: boolean;
  /** `ours` had CONTENT_BYPASS_DISTANCE been BYPASS_VALUES[k]. */
  byBypass: boolean[];
  /** Confirmed and candidate under each rule of GATE_RULES. */
  gates: GateVerdicts;
}

/**
 * Both the new confirmation and the previous rule on one pair, and the confirmation at every bypass distance:
 * confirmPair is (pixels) or (hash gate, i.e. within T and the edge key, and (content check or (distance <= bypass and
 * DCT rule at the bypass))) or (a wide gate and content check), so one content check answers the whole sweep. The
 * decomposition is checked against confirmPair at the value in force, so the sweep cannot drift from the product.
 */
function judge(a: PairSubject, b: PairSubject): Verdict {
  const ours = confirmPair(a, b, T) !== null;
  const contentOnly = confirmPair(a, b, T, true) !== null;
  const matches = fingerprintMatches(a.fingerprint, b.fingerprint);
  const pixels = matches[0].kind === 'pixels';
  const distance = Math.min(...matches.map((m) => m.distance));
  // Fingerprint v5: hashes within T are an ordinary candidate only inside the edge key (else only a wide gate).
  const hashGate = distance <= T && edgeKeyAgrees(a.fingerprint, b.fingerprint, T);
  const gate = contentOnlyGate(a.fingerprint, b.fingerprint, T);
  const gateV4 = contentOnlyGate(a.fingerprint, b.fingerprint, T, V4_GATES);
  const throughMargin = contentOnly && gate !== null;
  const byBypass = BYPASS_VALUES.map(
    (bypass) =>
      pixels ||
      (hashGate && (contentOnly || (distance <= bypass && verifiedMatch(a.fingerprint, b.fingerprint, Math.min(T, bypass)) !== null))),
  );
  const inForce = BYPASS_VALUES.indexOf(CONTENT_BYPASS_DISTANCE);
  // v4 had no edge key: hashes within T were a candidate whatever their edges.
  const v4Within =
    pixels ||
    (distance <= T &&
      (contentOnly ||
        (distance <= CONTENT_BYPASS_DISTANCE &&
          verifiedMatch(a.fingerprint, b.fingerprint, Math.min(T, CONTENT_BYPASS_DISTANCE)) !== null)));
  const v4 = v4Within || (contentOnly && gateV4 !== null);
  const withMargin = byBypass.map((yes) => yes || throughMargin);
  if (withMargin[inForce] !== ours) throw new Error('bench: the bypass sweep disagrees with confirmPair at CONTENT_BYPASS_DISTANCE');
  const gates = gateVerdicts(a.fingerprint, b.fingerprint, byBypass[inForce]!, pixels || hashGate, contentOnly);
  if (gates.confirmed[0] !== ours) throw new Error('bench: the gate rules disagree with confirmPair for the product rule');
  return {
    ours,
    v4,
    candidate: pixels || hashGate || gate !== null,
    candidateV4: pixels || distance <= T || gateV4 !== null,
    contentOnly,
    previous: verifiedMatch(a.fingerprint, b.fingerprint, T) !== null,
    byBypass: withMargin,
    gates,
  };
}

/**
 * Both Mushroom Observer photos of each species of the half (a byte-identical second photo counted once). Where one
 * is a crop of the other's capture (registerCapture, which does not use the content check), both get one capture:
 * a pair of them, or a cluster joining them, is right, not a false match.
 */
export async function loadPhotos(half: DataHalf | 'all'): Promise<Photo[]> {
  const codes = half === 'all' ? [...speciesOfHalf('tune'), ...speciesOfHalf('eval')].sort() : speciesOfHalf(half);
  const photos: Photo[] = [];
  const sameCapture: string[] = [];
  for (const s of codes) {
    const b0 = readFileSync(sharedDataPath('mushroom-observer', s, 'image_0.webp'));
    const name0 = `${s}/image_0`;
    photos.push({ name: name0, species: s, capture: name0, bytes: b0, subject: await pairSubjectOfBytes(b0) });
    const f1 = sharedDataPath('mushroom-observer', s, 'image_1.webp');
    if (!existsSync(f1)) continue;
    const b1 = readFileSync(f1);
    // Byte-identical image_1 files are the same photograph, not a negative.
    if (b1.equals(b0)) continue;
    const found = await registerCapture(b0, b1);
    const same = found.correlation >= SAME_CAPTURE_CORRELATION;
    if (same)
      sameCapture.push(
        `${s} (image_${found.crop} is a crop of the other's frame, ${pct(found.scale)} of its long edge; correlation ${found.correlation.toFixed(2)})`,
      );
    photos.push({
      name: `${s}/image_1`,
      species: s,
      capture: same ? name0 : `${s}/image_1`,
      bytes: b1,
      subject: await pairSubjectOfBytes(b1),
    });
  }
  console.log(
    `same capture (one photo a crop of the other's frame, by dense registration at >= ${SAME_CAPTURE_CORRELATION}): ${sameCapture.join('; ') || 'none'}`,
  );
  return photos;
}

interface Tally {
  pairs: number;
  ours: number;
  /** Confirmed at each of BYPASS_VALUES. */
  byBypass: number[];
  contentOnly: number;
  previous: number;
  v4: number;
  candidates: number;
  candidatesV4: number;
  gates: GateTally;
  examples: string[];
}

const tally = (): Tally => ({
  pairs: 0,
  ours: 0,
  byBypass: BYPASS_VALUES.map(() => 0),
  contentOnly: 0,
  previous: 0,
  v4: 0,
  candidates: 0,
  candidatesV4: 0,
  gates: gateTally(),
  examples: [],
});

function count(t: Tally, j: Verdict, name: string): void {
  t.pairs++;
  if (j.ours) t.ours++;
  j.byBypass.forEach((yes, k) => (t.byBypass[k]! += yes ? 1 : 0));
  if (j.contentOnly) t.contentOnly++;
  if (j.previous) t.previous++;
  if (j.v4) t.v4++;
  if (j.candidate) t.candidates++;
  if (j.candidateV4) t.candidatesV4++;
  countGates(t.gates, j.gates);
  if ((j.ours || j.contentOnly) && t.examples.length < 5) t.examples.push(name);
}

export async function contentBench(options: {
  half: DataHalf | 'all';
  variantSpecies: number;
  clusterSizes: number[];
  /** Largest library also clustered the product's eager way (every candidate confirmed), to check the lazy path. */
  eagerUpTo: number;
}): Promise<void> {
  let started = performance.now();
  const photos = await loadPhotos(options.half);
  console.log(
    `\n== content check on the ${options.half} half of mushroom-observer: ${photos.length} distinct photos (prepared in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );

  // ---- negatives ----
  const allPairs = tally();
  const sameCapture = tally();
  const twoViews = tally();
  const twins = tally();
  const disguised = tally();
  const cpu = process.cpuUsage();
  started = performance.now();
  const nearest = new Map<number, { j: number; d: number }[]>();
  for (let i = 0; i < photos.length; i++)
    for (let j = i + 1; j < photos.length; j++) {
      const a = photos[i]!;
      const b = photos[j]!;
      const verdict = judge(a.subject, b.subject);
      // A crop and its frame are one capture: a match between them is right, counted apart from the negatives.
      if (a.capture === b.capture) {
        count(sameCapture, verdict, `${a.name} ~ ${b.name}`);
        continue;
      }
      count(allPairs, verdict, `${a.name} ~ ${b.name}`);
      if (a.species === b.species) count(twoViews, verdict, `${a.name} ~ ${b.name}`);
      const d = Math.min(...fingerprintMatches(a.subject.fingerprint, b.subject.fingerprint).map((m) => m.distance));
      (nearest.get(i) ?? nearest.set(i, []).get(i)!).push({ j, d });
      (nearest.get(j) ?? nearest.set(j, []).get(j)!).push({ j: i, d });
    }
  const pairSeconds = (performance.now() - started) / 1000;
  const pairCpu = process.cpuUsage(cpu);
  // Layout twins: each photo with its 3 nearest other photos in hash space (the pairs the old rule fell for).
  const seenTwin = new Set<string>();
  for (const [i, list] of nearest) {
    for (const { j } of list.sort((x, y) => x.d - y.d).slice(0, 3)) {
      const k = i < j ? `${i}:${j}` : `${j}:${i}`;
      if (seenTwin.has(k) || photos[i]!.capture === photos[j]!.capture) continue;
      seenTwin.add(k);
      count(twins, judge(photos[i]!.subject, photos[j]!.subject), `${photos[i]!.name} ~ ${photos[j]!.name}`);
    }
  }

  // ---- positives, and copies of one photo against the other photo of the specimen (disguised look-alikes) ----
  const perClass = new Map<string, Tally>();
  const disguisedPerClass = new Map<string, Tally>();
  const bySpecies = new Map<string, Photo[]>();
  for (const p of photos) (bySpecies.get(p.species) ?? bySpecies.set(p.species, []).get(p.species)!).push(p);
  const variantSpecies = [...bySpecies.keys()].slice(0, options.variantSpecies);
  let positiveMs = 0;
  let positiveChecks = 0;
  for (const [k, s] of variantSpecies.entries()) {
    const [original, other] = bySpecies.get(s)!;
    const copies: [string, Buffer][] = [];
    for (const v of VARIANTS) copies.push([v, await makeVariant(original!.bytes, v)]);
    for (const v of HARD_VARIANTS) copies.push([v, await makeHardVariant(original!.bytes, v, 1000 + k)]);
    for (const [kind, bytes] of copies) {
      const copy = await pairSubjectOfBytes(bytes);
      const t = performance.now();
      const verdict = judge(copy, original!.subject);
      positiveMs += performance.now() - t;
      positiveChecks++;
      const c = perClass.get(kind) ?? perClass.set(kind, tally()).get(kind)!;
      c.pairs++;
      if (verdict.ours) c.ours++;
      verdict.byBypass.forEach((yes, k) => (c.byBypass[k]! += yes ? 1 : 0));
      if (verdict.contentOnly) c.contentOnly++;
      if (verdict.previous) c.previous++;
      if (verdict.v4) c.v4++;
      countGates(c.gates, verdict.gates);
      if (!verdict.ours && c.examples.length < 3) c.examples.push(s);
      if (other && other.capture !== original!.capture) {
        const fake = judge(copy, other.subject);
        count(disguised, fake, `${s} ${kind} ~ image_1`);
        count(disguisedPerClass.get(kind) ?? disguisedPerClass.set(kind, tally()).get(kind)!, fake, s);
      }
    }
  }

  console.log(
    `negatives (target 0 confirmed)       pairs   ours  content-only  previous rule   ours per 1M   v4 rule   candidates: ours / v4`,
  );
  for (const [name, t] of [
    ['every pair of distinct captures', allPairs],
    ['  of which two views, one specimen', twoViews],
    ['layout twins (3 nearest per photo)', twins],
    ['copy of one view vs the other view', disguised],
  ] as const)
    console.log(
      `${name.padEnd(36)} ${String(t.pairs).padStart(6)} ${String(t.ours).padStart(6)} ${String(t.contentOnly).padStart(13)} ${String(t.previous).padStart(14)} ${((t.ours / Math.max(1, t.pairs)) * 1e6).toFixed(0).padStart(13)} ${String(t.v4).padStart(9)}   ${t.candidates} / ${t.candidatesV4}` +
        (t.examples.length ? `   e.g. ${t.examples.join('; ')}` : ''),
    );
  if (sameCapture.pairs > 0)
    console.log(
      `same capture (a crop and its frame: not negatives): ${sameCapture.pairs} pairs, ${sameCapture.ours} confirmed as whole photos${sameCapture.examples.length ? ` (${sameCapture.examples.join('; ')})` : ''}`,
    );
  console.log(
    `positives: recall per class (target >= 0.95)   ours (hash gate + content)   precision   content check alone   previous rule   v4 rule (before)`,
  );
  for (const [kind, c] of perClass) {
    // Precision per class: its copies confirmed against their own photo, against those confirmed against the
    // other photo of the specimen (the negatives a copy of this class can produce).
    const fake = disguisedPerClass.get(kind)?.ours ?? 0;
    console.log(
      `${kind.padEnd(18)} ${`${pct(c.ours / c.pairs)} (${c.ours}/${c.pairs})`.padEnd(30)} ${pct(c.ours / Math.max(1, c.ours + fake)).padEnd(11)} ${pct(c.contentOnly / c.pairs).padEnd(21)} ${pct(c.previous / c.pairs).padEnd(15)} ${pct(c.v4 / c.pairs)}` +
        (c.examples.length ? `   missed: ${c.examples.join(', ')}` : ''),
    );
  }
  const truePairs = [...perClass.values()].reduce((n, c) => n + c.ours, 0);
  const positives = [...perClass.values()].reduce((n, c) => n + c.pairs, 0);
  const falsePairs = allPairs.ours + disguised.ours;
  console.log(
    `ALL: pairwise precision ${pct(truePairs / Math.max(1, truePairs + falsePairs))} (${falsePairs} false of ${truePairs + falsePairs} confirmed), recall ${pct(truePairs / positives)} (${truePairs}/${positives})`,
  );
  printBypassSweep(perClass, [allPairs, disguised]);
  const targets = photos.reduce((n, p) => n + 1 + p.subject.fingerprint.regions.length / 2, 0) / photos.length;
  printGateRules(new Map([...perClass].map(([kind, c]) => [kind, c.gates])), allPairs.gates, disguised.gates, targets);
  const pairCount = allPairs.pairs;
  console.log(
    `cost: ${((pairCpu.user + pairCpu.system) / 1000 / pairCount / 3).toFixed(2)} ms CPU per pair and rule on distinct photos ` +
      `(${((pairSeconds * 1000) / pairCount).toFixed(2)} ms wall for all three rules), ` +
      (positiveChecks > 0
        ? `${(positiveMs / positiveChecks).toFixed(1)} ms wall per copy pair (all three rules)`
        : 'no copy pairs (--content-species 0)'),
  );
  for (const n of options.clusterSizes) await clusterBench(photos, n, options.eagerUpTo);
}

/**
 * CONTENT_BYPASS_DISTANCE chosen on the tune half: per value, the false pairs (distinct photos, and copies of one
 * view against the other view) and the recall of every class that moves against the content check alone.
 */
function printBypassSweep(perClass: Map<string, Tally>, negatives: Tally[]): void {
  // `--content-species 0` measures negatives and clustering only: there is no class to sweep.
  if (perClass.size === 0) return void console.log('bypass sweep: no copies were made (--content-species 0)');
  console.log(`bypass sweep (in force: ${CONTENT_BYPASS_DISTANCE}; -1 = none): false pairs, lowest class recall, classes that gain`);
  for (const [k, bypass] of BYPASS_VALUES.entries()) {
    const falsePairs = negatives.map((t) => t.byBypass[k]!).join(' + ');
    const recalls = [...perClass].map(([kind, c]) => ({ kind, at: c.byBypass[k]! / c.pairs, none: c.byBypass[0]! / c.pairs }));
    const lowest = recalls.reduce((x, y) => (y.at < x.at ? y : x));
    const gains = recalls.filter((r) => r.at > r.none).map((r) => `${r.kind} ${pct(r.none)}->${pct(r.at)}`);
    console.log(
      `  ${String(bypass).padStart(2)}: false ${falsePairs.padEnd(9)} lowest ${lowest.kind} ${pct(lowest.at)}   ${gains.join(', ') || '(none)'}`,
    );
  }
  // The whole matrix, so the figures at the value chosen on the tune half can be read from an eval run.
  console.log(`  recall per class at each bypass: ${'class'.padEnd(18)} ${BYPASS_VALUES.map((b) => String(b).padStart(4)).join('')}`);
  for (const [kind, c] of perClass)
    console.log(
      `  ${''.padEnd(32)} ${kind.padEnd(18)} ${c.byBypass.map((n) => String(Math.round((100 * n) / c.pairs)).padStart(4)).join('')}`,
    );
}

/** A library of `n` generated images: crops and resizes of the half's photos (as in the issue's 3,088-image run). */
async function clusterBench(photos: Photo[], n: number, eagerUpTo: number): Promise<void> {
  const perPhoto = Math.max(1, Math.round(n / photos.length) - 1);
  const rnd = seededRandom(n);
  const subjects: PairSubject[] = [];
  const origin: number[] = [];
  let started = performance.now();
  for (const [p, photo] of photos.entries()) {
    const { data, info } = await sharp(photo.bytes)
      .resize({ width: 640, height: 640, fit: 'inside' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const medium: RawImage = { data, width: info.width, height: info.height, channels: 3 };
    subjects.push(photo.subject);
    origin.push(p);
    for (let k = 0; k < perPhoto && subjects.length < n; k++) {
      subjects.push(await generatedCopy(medium, rnd));
      origin.push(p);
    }
  }
  const prepared = (performance.now() - started) / 1000;
  started = performance.now();
  const index = new DuplicateIndex();
  subjects.forEach((s, i) => index.add(i, s.fingerprint));
  // Join cost of the wide gates, on these real fingerprints, against the v4 rule's and none (same run).
  const joinCost = await measureJoin(index);
  const candidatePairs = (gates: CandidateGates): [number, number][] => {
    const out: [number, number][] = [];
    const seen = new Set<number>();
    subjects.forEach((s, i) => {
      for (const j of index.candidates(i, s.fingerprint, T, false, gates)) {
        const key = Math.min(i, j) * subjects.length + Math.max(i, j);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push([Math.min(i, j), Math.max(i, j)]);
      }
    });
    return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  };
  const pairs = candidatePairs(candidateGates(T));
  const v4Pairs = candidatePairs(V4_GATES);
  const narrowPairs = candidatePairs(NO_WIDE_GATES);
  const previous: Edge[] = [];
  for (const [a, b] of narrowPairs) {
    const old = verifiedMatch(subjects[a]!.fingerprint, subjects[b]!.fingerprint, T);
    if (old) previous.push({ a, b, distance: old.distance });
  }
  let confirmMs = 0;
  let confirmCalls = 0;
  const timed = (a: number, b: number, any: boolean) => {
    const t = performance.now();
    const match = confirmPair(subjects[a]!, subjects[b]!, T, any);
    confirmMs += performance.now() - t;
    confirmCalls++;
    return match ? match.distance : null;
  };
  // The product's re-clustering path (recluster.ts): candidates confirmed only where they would join two groups,
  // the rest when the star step asks. A gated confirmation of a pair that is no candidate stops at its gate (no
  // content check), so it is not counted as a check.
  const lazyStarted = performance.now();
  const candidateKeys = new Set(pairs.map(([a, b]) => a * subjects.length + b));
  let checks = 0;
  const touched: number[] = [];
  const edgeOrNull = (a: number, b: number, any: boolean): Edge | null => {
    if (any || candidateKeys.has(Math.min(a, b) * subjects.length + Math.max(a, b))) checks++;
    touched.push(a, b);
    const d = timed(a, b, any);
    return d === null ? null : { a, b, distance: d };
  };
  const groups = new CandidateGroups((a, b) => edgeOrNull(a, b, false));
  for (const [a, b] of pairs) groups.offer(a, b);
  const joined = new Set(groups.joinedImages());
  const clusters = buildClustersFromGroups(
    subjects.map((_, id) => ({ id, quality: 0, width: 1, height: 1 })).filter((img) => joined.has(img.id)),
    (id) => groups.groupOf(id),
    (a, b) => groups.edge(a, b) ?? undefined,
    NO_DECISIONS,
    () => 64,
    (rep, m) => edgeOrNull(rep, m, true),
  );
  const lazySeconds = (performance.now() - lazyStarted) / 1000;
  const preparations = preparationsWithinBudget(touched, subjects);
  const clusterSeconds = (performance.now() - started) / 1000;
  let eagerNote = `eager path (every candidate confirmed) skipped above ${eagerUpTo.toLocaleString()} images`;
  if (subjects.length <= eagerUpTo) {
    const eagerStarted = performance.now();
    const eager = eagerClusters(subjects, pairs);
    const eagerSeconds = (performance.now() - eagerStarted) / 1000;
    const same = JSON.stringify(eager.clusters.map(({ representative, members, distances }) => ({ representative, members, distances })));
    if (same !== JSON.stringify(clusters.map(({ representative, members, distances }) => ({ representative, members, distances }))))
      throw new Error('bench: lazy star clustering disagrees with buildClusters over every confirmed candidate');
    // The join is outside both times: its cost is the same for both paths (measureJoin above).
    eagerNote =
      `same clusters as the eager path (every candidate confirmed + buildClusters, the product before candidate-groups.ts: ` +
      `${eager.checks.toLocaleString()} checks, ${eagerSeconds.toFixed(1)} s; ${lazySeconds.toFixed(1)} s the product's way: x${(eagerSeconds / Math.max(1e-3, lazySeconds)).toFixed(1)})`;
  }
  const componentsOld = connectedComponents(subjects.length, previous);
  const describe = (members: number[], worst: number) => {
    const photosIn = new Set(members.map((m) => origin[m]));
    const speciesIn = new Set(members.map((m) => photos[origin[m]!]!.species));
    return `${members.length} members from ${photosIn.size} photos of ${speciesIn.size} species, weakest link ${worst}`;
  };
  const largest = clusters.reduce((x, y) => (y.members.length > x.members.length ? y : x), clusters[0]!);
  const capturesIn = (members: number[]) => new Set(members.map((m) => photos[origin[m]!]!.capture)).size;
  const photosIn = (members: number[]) => new Set(members.map((m) => origin[m])).size;
  // Mixed = joining different captures (false); a crop and its frame joined is right, and counted apart.
  const mixed = clusters.filter((c) => capturesIn(c.members) > 1).length;
  const oneCapture = clusters.filter((c) => capturesIn(c.members) === 1 && photosIn(c.members) > 1).length;
  const oldLargest = componentsOld.reduce((x, y) => (y.length > x.length ? y : x), componentsOld[0] ?? []);
  const oldWorst = Math.max(0, ...previous.filter((e) => oldLargest.includes(e.a)).map((e) => e.distance));
  const oldMixed = componentsOld.filter((c) => c.length > 1 && capturesIn(c) > 1).length;
  console.log(
    `\n== clustering ${subjects.length.toLocaleString()} generated images (${photos.length} photos x ${perPhoto + 1}: crops 55-95% anywhere, resizes; generated in ${prepared.toFixed(0)} s)`,
  );
  console.log(
    `ours:     ${clusters.length} clusters, ${mixed} joining different captures (${oneCapture} joining a crop and its frame: right); largest: ${largest ? describe(largest.members, largest.weakestLink) : 'none'}; ` +
      `${checks.toLocaleString()} content checks (${(confirmMs / Math.max(1, confirmCalls)).toFixed(1)} ms wall each), clustering ${clusterSeconds.toFixed(1)} s; ${eagerNote}`,
  );
  console.log(
    `join:     ${pairs.length.toLocaleString()} candidate pairs with the wide gates, ${v4Pairs.length.toLocaleString()} under the v4 rule ` +
      `(x${(pairs.length / Math.max(1, v4Pairs.length)).toFixed(2)}), ${narrowPairs.length.toLocaleString()} without wide gates; ${joinCost}`,
  );
  console.log(
    `previous: ${componentsOld.filter((c) => c.length > 1).length} clusters, ${oldMixed} joining different captures; largest: ${describe(oldLargest, oldWorst)} (weakest link = largest edge inside)`,
  );
  console.log(
    `memory:   the confirmer keeps ${preparations.capacity.toLocaleString()} prepared renditions (PREPARED_CACHE_BYTES); ` +
      `${preparations.images.toLocaleString()} images touched, ${preparations.made.toLocaleString()} preparations in the product's order ` +
      `(x${(preparations.made / Math.max(1, preparations.images)).toFixed(2)} one per image; ${((preparations.images * preparations.bytesEach) / 2 ** 20).toFixed(0)} MB had all been kept)`,
  );
  printMixedClusters(clusters, origin, photos, subjects);
}

/**
 * How many renditions CandidateConfirmer prepares for this sequence of asks (two images per confirmation) within its
 * byte budget, least recently used dropped first: the cost of bounding its memory, in the product's order of asks.
 */
function preparationsWithinBudget(touched: number[], subjects: PairSubject[]) {
  const sample = subjects.find((s) => s.prepared)?.prepared;
  const bytesEach = sample ? preparedBytes(sample) : 1;
  // The confirmer's own cache and settings (CandidateConfirmer), with every rendition of the sample's size.
  const held = new ByteBudgetCache<number, true>(PREPARED_CACHE_BYTES, Infinity, 2);
  let made = 0;
  for (const id of touched)
    held.valueOf(
      id,
      () => (made++, true),
      () => bytesEach,
    );
  return { capacity: Math.max(2, Math.floor(PREPARED_CACHE_BYTES / bytesEach)), images: new Set(touched).size, made, bytesEach };
}

/**
 * Each cluster of ours that joins different photographs (of different captures, or a crop and its frame): the photos
 * with their member counts, and up to three members from a photo other than the representative's with their
 * distance and the content check's explanation, so a run names what to look at (the 30k run of 2026-12-06 found one
 * such cluster and could not say which; it was hydruf's crop and frame).
 */
function printMixedClusters(clusters: BuiltCluster[], origin: number[], photos: Photo[], subjects: PairSubject[]): void {
  for (const c of clusters) {
    const perPhoto = new Map<number, number>();
    for (const m of c.members) perPhoto.set(origin[m]!, (perPhoto.get(origin[m]!) ?? 0) + 1);
    if (perPhoto.size < 2) continue;
    const home = origin[c.representative]!;
    const counts = [...perPhoto].map(([p, n]) => `${photos[p]!.name} x${n}`).join(', ');
    const captures = new Set([...perPhoto.keys()].map((p) => photos[p]!.capture)).size;
    const kind = captures > 1 ? 'mixed cluster' : 'crop and frame of one capture';
    console.log(`  ${kind} (representative from ${photos[home]!.name}): ${counts}`);
    const foreign = c.members.map((m, k) => ({ m, k })).filter(({ m }) => origin[m] !== home);
    for (const { m, k } of foreign.slice(0, 3)) {
      // The lazy clustering keeps distances only: the explanation is the content check's, asked again.
      const why = confirmPair(subjects[c.representative]!, subjects[m]!, T, true)?.fromB;
      const said = why
        ? `${why.transform}, ${why.detail ?? `${why.measure} ${why.agreement}`}`
        : 'not confirmed against the representative when asked again';
      console.log(`    member ${m} from ${photos[origin[m]!]!.name}: distance ${c.distances[k]}; ${said}`);
    }
  }
}

/** Re-clustering before candidate-groups.ts: every candidate pair confirmed, then buildClusters with the content check for the rest. */
function eagerClusters(subjects: PairSubject[], pairs: [number, number][]): { clusters: BuiltCluster[]; checks: number } {
  const edges: Edge[] = [];
  let checks = 0;
  for (const [a, b] of pairs) {
    checks++;
    const match = confirmPair(subjects[a]!, subjects[b]!, T);
    if (match) edges.push({ a, b, distance: match.distance });
  }
  const images = subjects.map((_, id) => ({ id, quality: 0, width: 1, height: 1 }));
  const clusters = buildClusters(
    images,
    edges,
    NO_DECISIONS,
    () => 64,
    (rep, m) => {
      checks++;
      const match = confirmPair(subjects[rep]!, subjects[m]!, T, true);
      return match ? { a: rep, b: m, distance: match.distance } : null;
    },
  );
  return { clusters, checks };
}

/**
 * The full re-clustering's join under ours, the v4 rule and no wide gates, best of 3 each (wall and CPU of this
 * thread plus the join workers' share is not separable, so wall), as the product runs it.
 */
async function measureJoin(index: DuplicateIndex): Promise<string> {
  const workers = new JoinWorkers();
  try {
    const rules = [
      ['none', NO_WIDE_GATES],
      ['v4', V4_GATES],
      ['ours', candidateGates(T)],
    ] as const;
    const best = { none: Infinity, v4: Infinity, ours: Infinity };
    for (let round = 0; round < 3; round++)
      for (const [name, gates] of rules) {
        const t = performance.now();
        await index.forEachCandidatePair(T, workers, () => {}, gates);
        best[name] = Math.min(best[name], performance.now() - t);
      }
    const g = candidateGates(T);
    return (
      `full join (forEachCandidatePair, best of 3): ${best.ours.toFixed(0)} ms ours, ${best.v4.toFixed(0)} ms v4 rule (x${(best.ours / best.v4).toFixed(2)}), ` +
      `${best.none.toFixed(0)} ms without wide gates; hashes joined per image: 8 flips x (${(index.targetCount / index.images).toFixed(1)} targets within ${T} ` +
      `+ 1 whole picture within ${T + g.wholeMargin}) + upright x (1 upright within ${T + g.uprightMargin} + off-centre windows within ${T})`
    );
  } finally {
    await workers.close();
  }
}

async function generatedCopy(medium: RawImage, rnd: () => number): Promise<PairSubject> {
  const keep = 0.55 + rnd() * 0.4;
  const w = Math.max(40, Math.round(medium.width * keep));
  const h = Math.max(40, Math.round(medium.height * keep));
  let pipeline = sharp(medium.data, { raw: { width: medium.width, height: medium.height, channels: 3 } });
  if (rnd() < 0.7)
    pipeline = pipeline.extract({
      left: Math.floor((medium.width - w) * rnd()),
      top: Math.floor((medium.height - h) * rnd()),
      width: w,
      height: h,
    });
  const edge = Math.round(120 + rnd() * 200);
  const { data, info } = await pipeline.resize({ width: edge, height: edge, fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  const small: RawImage = { data, width: info.width, height: info.height, channels: 3 };
  const fingerprint = parseFingerprint(fingerprintFromImage(small))!;
  return { fingerprint, prepared: prepareThumbnail(computeMatchThumbnail(small)) };
}

function connectedComponents(n: number, edges: Edge[]): number[][] {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const e of edges) parent[find(e.a)] = find(e.b);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) (groups.get(find(i)) ?? groups.set(find(i), []).get(find(i))!).push(i);
  return [...groups.values()];
}
