// bench:duplicates, scale part: the full re-clustering's candidate join (every image's 8 flips/rotations against
// every image's whole picture and regions) on real fingerprints (test/fixtures/real-fingerprints.ts), timed at
// several library sizes on the worker threads and on one thread, against the previous join path (hash-level hits
// sent back and deduplicated per ordered pair with a string set) measured in the same run; candidate recall on the
// planted copies; growth fitted over the sizes and extrapolated to 1M. Also how the fingerprints compare with the
// photographs they come from (candidate rate between distinct pictures), so the workload is shown to be real.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { DEFAULT_DUPLICATE_THRESHOLD, WHOLE_PICTURE_MARGIN } from '../../src-shared/defaults';
import { DuplicateIndex } from '../../src-main/core/duplicates/duplicate-index';
import { edgeKeyAgrees, fingerprintMatches } from '../../src-main/core/duplicates/fingerprint-distance';
import { MultiIndex } from '../../src-main/core/duplicates/multi-index';
import { JoinWorkers } from '../../src-main/core/duplicates/parallel-join';
import type { Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { fingerprintOfBytes } from '../fixtures/fingerprint-of';
import { EDGE_WORDS, MAX_REGIONS, realFingerprintCorpus, type FingerprintCorpus } from '../fixtures/real-fingerprints';
import { sharedDataPath, speciesOfHalf } from '../fixtures/shared-data';
import { seededRandom } from '../fixtures/synthetic-photos';

const T = DEFAULT_DUPLICATE_THRESHOLD;

/** Image i of the corpus as the hash part of a fingerprint (the join and the edge key read nothing else). */
export function corpusFingerprint(c: FingerprintCorpus, i: number): Fingerprint {
  const dihedral = new Uint32Array(16);
  for (let k = 0; k < 8; k++) {
    dihedral[2 * k] = c.dihedralHi[8 * i + k]!;
    dihedral[2 * k + 1] = c.dihedralLo[8 * i + k]!;
  }
  const regions = new Uint32Array(2 * c.regionCount[i]!);
  for (let k = 0; k < c.regionCount[i]!; k++) {
    regions[2 * k] = c.regionHi[MAX_REGIONS * i + k]!;
    regions[2 * k + 1] = c.regionLo[MAX_REGIONS * i + k]!;
  }
  const edges = c.edges.slice(EDGE_WORDS * i, EDGE_WORDS * i + 2 * (8 + c.regionCount[i]!));
  return { pixelDigest: null, dihedral, regions, coefficients: new Int8Array(0), edges };
}

/** Whether some hash pair of the two images is within T (the 64-bit join's rule, both ways round). */
function isCandidate(a: Fingerprint, b: Fingerprint): boolean {
  return Math.min(...fingerprintMatches(a, b).map((m) => m.distance)) <= T;
}

/** The same, and within the 128-bit edge key too (fingerprint v5: what reaches the content check). */
function isKeyedCandidate(a: Fingerprint, b: Fingerprint): boolean {
  return isCandidate(a, b) && edgeKeyAgrees(a, b, T);
}

/** Share of pairs of distinct pictures that are candidates: real photographs against corpus images of distinct photos. */
async function candidateRates(c: FingerprintCorpus): Promise<void> {
  const real: Fingerprint[] = [];
  for (const half of ['tune', 'eval'] as const)
    for (const s of speciesOfHalf(half))
      real.push(await fingerprintOfBytes(readFileSync(sharedDataPath('mushroom-observer', s, 'image_0.webp'))));
  const rate = (fps: Fingerprint[], rule = isCandidate) => {
    let pairs = 0;
    let near = 0;
    for (let i = 0; i < fps.length; i++)
      for (let j = i + 1; j < fps.length; j++) {
        pairs++;
        if (rule(fps[i]!, fps[j]!)) near++;
      }
    return { pairs, near };
  };
  // One corpus image per photograph (never a planted copy), so no pair shows the same picture.
  const bySource = new Map<number, number>();
  for (let i = 0; i < c.images && bySource.size < real.length; i++)
    if (c.copyOf[i] === -1 && !bySource.has(c.source[i]!)) bySource.set(c.source[i]!, i);
  const corpus = [...bySource.values()].map((i) => corpusFingerprint(c, i));
  const rnd = seededRandom(5);
  const word = () => Math.floor(rnd() * 2 ** 32) >>> 0;
  const random = corpus.map((fp) => ({ ...fp, dihedral: fp.dihedral.map(word), regions: fp.regions.map(word) }));
  const per = (r: { pairs: number; near: number }) => `${((r.near / r.pairs) * 1e6).toFixed(0)} per 1M pairs (${r.near}/${r.pairs})`;
  console.log(`candidate pairs (some hash pair within ${T}) between distinct pictures:`);
  console.log(`  real photographs (image_0 of each species)  ${per(rate(real))}`);
  console.log(`  corpus, one view per photograph              ${per(rate(corpus))}`);
  console.log(`  random 64-bit hashes, same counts            ${per(rate(random))}`);
  console.log(`  real photographs, within the edge key too    ${per(rate(real, isKeyedCandidate))}`);
  console.log(`  corpus, within the edge key too              ${per(rate(corpus, isKeyedCandidate))}`);
}

interface JoinRun {
  seconds: number;
  cpu: number;
  pairs: number;
  planted: { found: number; total: number };
  sameSource: number;
  /** Of `pairs`, those within the 128-bit edge key (fingerprint v5), what reaches the content check. */
  keyed?: { pairs: number; sameSource: number; planted: number; cpu: number };
}

function cpuSince(u: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1e6;
}

/** The product's join: DuplicateIndex.forEachCandidatePair (whole pictures within `margin` more bits too). */
async function productJoin(c: FingerprintCorpus, n: number, workers: JoinWorkers, margin = WHOLE_PICTURE_MARGIN): Promise<JoinRun> {
  const index = new DuplicateIndex();
  const fingerprints: Fingerprint[] = [];
  for (let i = 0; i < n; i++) index.add(i, (fingerprints[i] = corpusFingerprint(c, i)));
  const isPair = new Set<number>();
  let sameSource = 0;
  const pairsOf: number[] = [];
  const t = performance.now();
  const cpu = process.cpuUsage();
  const pairs = await index.forEachCandidatePair(
    T,
    workers,
    (a, b) => {
      if (c.copyOf[b] === a) isPair.add(b);
      if (c.source[a] === c.source[b]) sameSource++;
      pairsOf.push(a, b);
    },
    margin,
  );
  const seconds = (performance.now() - t) / 1000;
  const joinCpu = cpuSince(cpu);
  // The edge key (edgeKeyAgrees, not yet applied by confirmPair), timed apart from the join: what would reach content checks.
  const gateCpu = process.cpuUsage();
  const keyed = { pairs: 0, sameSource: 0, planted: 0, cpu: 0 };
  for (let p = 0; p < pairsOf.length; p += 2) {
    const a = pairsOf[p]!;
    const b = pairsOf[p + 1]!;
    if (!edgeKeyAgrees(fingerprints[a]!, fingerprints[b]!, T)) continue;
    keyed.pairs++;
    if (c.source[a] === c.source[b]) keyed.sameSource++;
    if (c.copyOf[Math.max(a, b)] === Math.min(a, b)) keyed.planted++;
  }
  keyed.cpu = cpuSince(gateCpu);
  return { seconds, cpu: joinCpu, pairs, planted: planted(c, n, isPair), sameSource, keyed };
}

/** The join as the product ran it before: hash-level hits back from the workers, ordered pairs deduplicated by string. */
async function previousJoin(c: FingerprintCorpus, n: number, workers: JoinWorkers): Promise<JoinRun> {
  const targets = new MultiIndex();
  const transforms = new MultiIndex();
  for (let i = 0; i < n; i++) {
    const fp = corpusFingerprint(c, i);
    targets.add(fp.dihedral[0]!, fp.dihedral[1]!, i);
    for (let k = 0; k < fp.regions.length; k += 2) targets.add(fp.regions[k]!, fp.regions[k + 1]!, i);
    for (let j = 0; j < 16; j += 2) transforms.add(fp.dihedral[j]!, fp.dihedral[j + 1]!, i);
  }
  const seen = new Set<string>();
  const checked = new Set<string>();
  const isPair = new Set<number>();
  let sameSource = 0;
  const t = performance.now();
  const cpu = process.cpuUsage();
  await workers.join(transforms.columns(), targets.columns(), T, (tk, ok) => {
    const copy = transforms.owner(tk);
    const original = targets.owner(ok);
    const key = `${copy}:${original}`;
    if (copy === original || seen.has(key)) return;
    seen.add(key);
    const [a, b] = copy < original ? [copy, original] : [original, copy];
    const k = `${a}:${b}`;
    if (checked.has(k)) return;
    checked.add(k);
    if (c.copyOf[b] === a) isPair.add(b);
    if (c.source[a] === c.source[b]) sameSource++;
  });
  const seconds = (performance.now() - t) / 1000;
  return { seconds, cpu: cpuSince(cpu), pairs: checked.size, planted: planted(c, n, isPair), sameSource };
}

function planted(c: FingerprintCorpus, n: number, found: Set<number>): { found: number; total: number } {
  let total = 0;
  for (let i = 0; i < n; i++) if (c.copyOf[i]! >= 0) total++;
  return { found: found.size, total };
}

/** Least-squares fit of log(seconds) = log(a) + b log(n). */
function fitPower(points: [number, number][]): { a: number; b: number } {
  const xs = points.map(([n]) => Math.log(n));
  const ys = points.map(([, s]) => Math.log(s));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  const b = sxx > 0 ? sxy / sxx : 1;
  return { a: Math.exp(my - b * mx), b };
}

export async function scaleBench(options: { sizes: number[]; baselineUpTo: number }): Promise<void> {
  const largest = Math.max(...options.sizes);
  const { corpus, file, madeSeconds } = await realFingerprintCorpus({ images: largest, log: (l) => console.log(l) });
  const copies = corpus.copyOf.filter((x) => x >= 0).length;
  console.log(
    `\n== scale on real fingerprints: ${corpus.images.toLocaleString()} views of ${corpus.sources.length} photographs of ../shared/data ` +
      `(${copies.toLocaleString()} planted copies), threshold ${T}; ${madeSeconds > 0 ? `made in ${madeSeconds.toFixed(0)} s` : 'loaded'} from ${file}`,
  );
  await candidateRates(corpus);
  const line = (name: string, r: JoinRun) =>
    `  ${name.padEnd(30)} ${r.seconds.toFixed(2).padStart(7)} s wall ${r.cpu.toFixed(2).padStart(7)} s CPU (process, all threads)  ` +
    `${r.pairs.toLocaleString()} candidate pairs (${r.sameSource.toLocaleString()} of one photograph), planted copies found ${r.planted.found}/${r.planted.total}`;
  const threads = os.availableParallelism();
  const points: [number, number][] = [];
  /** n, candidate pairs of the 64-bit join, pairs within the edge key, join CPU seconds. */
  const pairPoints: [number, number, number, number][] = [];
  for (const n of options.sizes) {
    console.log(`${n.toLocaleString()} images (${threads} worker threads unless said):`);
    const parallel = new JoinWorkers(threads);
    const ours = await productJoin(corpus, n, parallel);
    await parallel.close();
    console.log(line('product join', ours));
    const k = ours.keyed!;
    console.log(
      `  ${'then the edge key (v5)'.padEnd(30)} ${k.cpu.toFixed(2).padStart(7)} s CPU  ${k.pairs.toLocaleString()} pairs within the key ` +
        `(${k.sameSource.toLocaleString()} of one photograph), x${(ours.pairs / Math.max(1, k.pairs)).toFixed(1)} fewer; planted copies kept ${k.planted}/${ours.planted.found}`,
    );
    points.push([n, ours.seconds]);
    pairPoints.push([n, ours.pairs, k.pairs, ours.cpu]);
    const single = new JoinWorkers(1);
    const one = await productJoin(corpus, n, single);
    await single.close();
    console.log(line('product join, one thread', one) + `  -> ${(one.seconds / ours.seconds).toFixed(2)}x from threads`);
    const narrowWorkers = new JoinWorkers(threads);
    const narrow = await productJoin(corpus, n, narrowWorkers, 0);
    await narrowWorkers.close();
    console.log(
      line('product join without margin', narrow) + `  -> the whole-picture margin costs x${(ours.seconds / narrow.seconds).toFixed(2)}`,
    );
    if (n <= options.baselineUpTo) {
      const workers = new JoinWorkers(threads);
      const before = await previousJoin(corpus, n, workers);
      await workers.close();
      console.log(line('previous join (baseline)', before) + `  -> product ${(before.seconds / ours.seconds).toFixed(2)}x faster`);
      // The previous path had no whole-picture margin: it must find exactly the pairs of the join without it.
      if (before.pairs !== narrow.pairs)
        throw new Error(`product join without margin found ${narrow.pairs} pairs, the previous join ${before.pairs}`);
    }
  }
  // Incremental: the last 1,000 images of the largest size added one by one to an index of the rest, as ingest does.
  const index = new DuplicateIndex();
  for (let i = 0; i < largest - 1000; i++) index.add(i, corpusFingerprint(corpus, i));
  const t = performance.now();
  let found = 0;
  let copiesAdded = 0;
  for (let i = largest - 1000; i < largest; i++) {
    const fp = corpusFingerprint(corpus, i);
    index.add(i, fp);
    const candidates = index.candidates(i, fp, T, true);
    if (corpus.copyOf[i]! >= 0) {
      copiesAdded++;
      if (candidates.has(corpus.copyOf[i]!)) found++;
    }
  }
  const incremental = (performance.now() - t) / 1000;
  console.log(
    `incremental: 1,000 images added to ${(largest - 1000).toLocaleString()} one at a time (index queries both ways): ${incremental.toFixed(2)} s, ` +
      `${((incremental / points.at(-1)![1]) * 100).toFixed(1)} % of the full join; planted copies found ${found}/${copiesAdded}`,
  );
  if (points.length >= 2) {
    const { a, b } = fitPower(points);
    console.log(
      `growth: time ~ n^${b.toFixed(2)} over ${points.map(([n]) => n.toLocaleString()).join(', ')}; extrapolated to 1M images: ${(a * 1e6 ** b).toFixed(0)} s wall (this machine, this load)`,
    );
    for (const [name, at] of [
      ['join CPU seconds', 3],
      ['candidate pairs (64-bit join)', 1],
      ['pairs within the edge key', 2],
    ] as const) {
      const fit = fitPower(pairPoints.map((p) => [p[0], Math.max(1, p[at])]));
      console.log(`growth: ${name} ~ n^${fit.b.toFixed(2)}; extrapolated to 1M images: ${(fit.a * 1e6 ** fit.b).toExponential(2)}`);
    }
  }
}
