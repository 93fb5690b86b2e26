// bench:duplicates, scale part: the full re-clustering's candidate join (every image's 8 flips/rotations against
// every image's whole picture and regions) on real fingerprints (test/fixtures/real-fingerprints.ts), timed at
// several library sizes on the worker threads and on one thread, against the previous join path (hash-level hits
// sent back and deduplicated per ordered pair with a string set) measured in the same run; candidate recall on the
// planted copies; growth fitted over the sizes and extrapolated to 1M. The main join (flips x targets) runs both as
// the 64-bit join with the edge key then tested per pair and as the keyed join (keyed-pair-join.ts), checked to give
// the same pairs, with what chunkings over the 128-bit key itself would cost (key-chunking.ts). Also how the fingerprints compare with the
// photographs they come from (candidate rate between distinct pictures), so the workload is shown to be real.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../src-shared/defaults';
import {
  candidateGates,
  NO_WIDE_GATES,
  UPRIGHT_KEY_OFF,
  uprightEdgeDistance,
  uprightWholeDistance,
  type CandidateGates,
} from '../../src-main/core/duplicates/content-only-gate';
import { DuplicateIndex } from '../../src-main/core/duplicates/duplicate-index';
import {
  edgeKeyAgrees,
  edgeKeyThreshold,
  fingerprintMatches,
  wholePictureMargin,
} from '../../src-main/core/duplicates/fingerprint-distance';
import { chunkingWork, hashPairsInRegions, keyChunkings, productChunks, type KeySide } from './key-chunking';
import { MultiIndex } from '../../src-main/core/duplicates/multi-index';
import { PreviousIncrementalIndex } from './previous-incremental-index';
import { JoinWorkers } from '../../src-main/core/duplicates/parallel-join';
import type { Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { fingerprintOfBytes } from '../fixtures/fingerprint-of';
import { EDGE_WORDS, MAX_REGIONS, OFF_CENTRE_WORDS, realFingerprintCorpus, type FingerprintCorpus } from '../fixtures/real-fingerprints';
import { sharedDataPath, speciesOfHalf } from '../fixtures/shared-data';
import { seededRandom } from '../fixtures/synthetic-photos';

const T = DEFAULT_DUPLICATE_THRESHOLD;

/**
 * Image i of the corpus as the hash part of a fingerprint (the join and the edge key read nothing else), off-centre
 * windows included (corpus recipe 4; recipe 3 kept none, so runs on it measured every gate but that one).
 */
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
  const offCentre = c.offCentre.slice(OFF_CENTRE_WORDS * i, OFF_CENTRE_WORDS * (i + 1));
  return { pixelDigest: null, dihedral, regions, coefficients: new Int8Array(0), edges, offCentre };
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
  /** Keyed join: image pairs whose hits within the threshold all failed the key, tested on every hash pair. */
  anyPairChecks?: number;
}

function cpuSince(u: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1e6;
}

/**
 * The product's join: DuplicateIndex.forEachCandidatePair (with the wide gates `gates` too). `edgeKey` false: the main
 * join as before this change (every 64-bit candidate), with the key then applied to its pairs as confirmPair does.
 */
async function productJoin(
  c: FingerprintCorpus,
  n: number,
  workers: JoinWorkers,
  gates = candidateGates(T),
  edgeKey = true,
): Promise<JoinRun & { pairSet: Set<number> }> {
  const index = new DuplicateIndex();
  const fingerprints: Fingerprint[] = [];
  for (let i = 0; i < n; i++) index.add(i, (fingerprints[i] = corpusFingerprint(c, i)));
  const isPair = new Set<number>();
  let sameSource = 0;
  const pairsOf: number[] = [];
  const stats = { anyPairChecks: 0 };
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
    gates,
    { edgeKey, stats },
  );
  const seconds = (performance.now() - t) / 1000;
  const joinCpu = cpuSince(cpu);
  const run = { seconds, cpu: joinCpu, pairs, planted: planted(c, n, isPair), sameSource, anyPairChecks: stats.anyPairChecks };
  if (edgeKey) return { ...run, pairSet: pairSetOf(pairsOf, () => true) };
  // The gate confirmPair applies first (edgeKeyAgrees), timed apart from the join: what is left goes to content checks.
  const gateCpu = process.cpuUsage();
  const keyed = { pairs: 0, sameSource: 0, planted: 0, cpu: 0 };
  const kept = new Uint8Array(pairsOf.length / 2);
  for (let p = 0; p < pairsOf.length; p += 2) {
    const a = pairsOf[p]!;
    const b = pairsOf[p + 1]!;
    if (!edgeKeyAgrees(fingerprints[a]!, fingerprints[b]!, T)) continue;
    kept[p / 2] = 1;
    keyed.pairs++;
    if (c.source[a] === c.source[b]) keyed.sameSource++;
    if (c.copyOf[Math.max(a, b)] === Math.min(a, b)) keyed.planted++;
  }
  keyed.cpu = cpuSince(gateCpu);
  return { ...run, keyed, pairSet: pairSetOf(pairsOf, (p) => kept[p] === 1) };
}

/** Pairs (a < b, flat) as numbers a * 2^23 + b, those `keep(pair index)` says. */
function pairSetOf(pairsOf: number[], keep: (p: number) => boolean): Set<number> {
  const out = new Set<number>();
  for (let p = 0; p < pairsOf.length; p += 2) if (keep(p / 2)) out.add(pairsOf[p]! * 2 ** 23 + pairsOf[p + 1]!);
  return out;
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

/** The first n images' flips (left) and whole pictures and regions (right) as 128-bit keys, for key-chunking.ts. */
function keySides(c: FingerprintCorpus, n: number): { left: KeySide; right: KeySide } {
  const left: number[] = [];
  const leftOwner: number[] = [];
  const right: number[] = [];
  const rightOwner: number[] = [];
  const allowance: number[] = [];
  for (let i = 0; i < n; i++) {
    const fp = corpusFingerprint(c, i);
    const e = fp.edges;
    for (let j = 0; j < 8; j++) {
      left.push(fp.dihedral[2 * j + 1]!, fp.dihedral[2 * j]!, e[2 * j + 1]!, e[2 * j]!);
      leftOwner.push(i);
    }
    right.push(fp.dihedral[1]!, fp.dihedral[0]!, e[1]!, e[0]!);
    rightOwner.push(i);
    allowance.push(wholePictureMargin(T));
    for (let k = 0; k < fp.regions.length; k += 2) {
      right.push(fp.regions[k + 1]!, fp.regions[k]!, e[17 + k]!, e[16 + k]!);
      rightOwner.push(i);
      allowance.push(0);
    }
  }
  return {
    left: { words: Uint32Array.from(left), owner: Int32Array.from(leftOwner) },
    right: { words: Uint32Array.from(right), owner: Int32Array.from(rightOwner), allowance: Uint8Array.from(allowance) },
  };
}

/**
 * Why the keyed join still enumerates by pHash chunks: bucket probes and comparisons of the 64-bit join's plan
 * against chunkings of the 128 bits that find every hash pair within the key by themselves, on these images; and,
 * over a sample, the hash pairs in each region (what a join over the key would have to report).
 */
function chunkingFigures(c: FingerprintCorpus, n: number, sample: number): number {
  const { left, right } = keySides(c, n);
  const key = edgeKeyThreshold(T);
  const plan = productChunks(left.owner.length, right.owner.length, T);
  const base = chunkingWork(left, right, plan);
  const fmt = (x: number) => `${(x / 1e6).toFixed(1)}M`;
  console.log(
    `  chunkings, flips x targets (${left.owner.length.toLocaleString()} x ${right.owner.length.toLocaleString()} hashes): probes / hash comparisons`,
  );
  console.log(
    `    64-bit join, pHash <= ${T} (${plan.map(([, w, r]) => `${w}b r${r}`).join(', ')}): ${fmt(base.probes)} / ${fmt(base.comparisons)}`,
  );
  for (const { name, chunks } of keyChunkings(key)) {
    const w = chunkingWork(left, right, chunks);
    console.log(
      `    128-bit key <= ${key}, ${name} (${w.units} units): ${fmt(w.probes)} / ${fmt(w.comparisons)} (x${(w.comparisons / base.comparisons).toFixed(1)} comparisons)`,
    );
  }
  if (sample > 0) {
    const s = keySides(c, Math.min(n, sample));
    const hits = hashPairsInRegions(s.left, s.right, T, key);
    console.log(
      `  hash pairs of different images among the first ${Math.min(n, sample).toLocaleString()} (brute force): pHash <= ${T}: ${hits.withinThreshold.toLocaleString()}, ` +
        `of them within the key on the same pair: ${hits.sameHashPairKeyed.toLocaleString()}; within the key (any pHash distance): ${hits.withinKey.toLocaleString()}`,
    );
  }
  return base.comparisons;
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

/**
 * Issue 19/14: the pairs only the upright gate brings (the product's join less the one without it), under the upright
 * gate before the upright key (pHash margin alone) and as the product runs it now, and how many of the former each
 * upright key would keep (pHash + edge hash of the upright pictures), split into views of one photograph and not.
 */
async function uprightGateFigures(c: FingerprintCorpus, n: number, threads: number): Promise<void> {
  const run = async (gates: CandidateGates) => {
    const workers = new JoinWorkers(threads);
    try {
      return await productJoin(c, n, workers, gates);
    } finally {
      await workers.close();
    }
  };
  const main = await run(NO_WIDE_GATES);
  const without = await run({ ...candidateGates(T), uprightMargin: 0 });
  const before = await run({ ...candidateGates(T), uprightKey: UPRIGHT_KEY_OFF });
  const after = await run(candidateGates(T));
  const keys = [24, 28, 32, 36, 40, 44];
  const kept = keys.map(() => ({ all: 0, sameSource: 0, planted: 0 }));
  let only = 0;
  let sameSource = 0;
  let plantedOnly = 0;
  for (const pair of before.pairSet) {
    if (without.pairSet.has(pair)) continue;
    const a = Math.floor(pair / 2 ** 23);
    const b = pair % 2 ** 23;
    const fa = corpusFingerprint(c, a);
    const fb = corpusFingerprint(c, b);
    const key = uprightWholeDistance(fa, fb) + uprightEdgeDistance(fa, fb);
    const same = c.source[a] === c.source[b];
    const copy = c.copyOf[b] === a;
    only++;
    if (same) sameSource++;
    if (copy) plantedOnly++;
    keys.forEach((k, i) => {
      if (key > k) return;
      kept[i]!.all++;
      if (same) kept[i]!.sameSource++;
      if (copy) kept[i]!.planted++;
    });
  }
  const afterOnly = [...after.pairSet].filter((pair) => !without.pairSet.has(pair)).length;
  console.log(
    `  upright gate: ${main.pairs.toLocaleString()} pairs from the keyed main join alone (${main.sameSource.toLocaleString()} of one photograph), ` +
      `${without.pairs.toLocaleString()} with the off-centre windows too (${without.sameSource.toLocaleString()} of one photograph; ${without.cpu.toFixed(1)} s CPU), ` +
      `${before.pairs.toLocaleString()} with it before the upright key ` +
      `(${before.cpu.toFixed(1)} s CPU): ${only.toLocaleString()} only through it (${sameSource.toLocaleString()} of one photograph, ${plantedOnly} planted copies); ` +
      `product now (upright key ${candidateGates(T).uprightKey}): ${after.pairs.toLocaleString()} pairs (${after.cpu.toFixed(1)} s CPU), ${afterOnly.toLocaleString()} only through it`,
  );
  console.log(
    `  of those only through it, within the upright key (pHash + edge) <= ${keys.join('/')}: ` +
      kept.map((k) => `${k.all.toLocaleString()} (${k.sameSource.toLocaleString()} one photograph, ${k.planted} planted)`).join(' / '),
  );
}

export async function scaleBench(options: {
  sizes: number[];
  baselineUpTo: number;
  incrementalOnly?: boolean;
  uprightGateOnly?: boolean;
}): Promise<void> {
  const largest = Math.max(...options.sizes);
  const { corpus, file, madeSeconds } = await realFingerprintCorpus({ images: largest, log: (l) => console.log(l) });
  const copies = corpus.copyOf.filter((x) => x >= 0).length;
  console.log(
    `\n== scale on real fingerprints: ${corpus.images.toLocaleString()} views of ${corpus.sources.length} photographs of ../shared/data ` +
      `(${copies.toLocaleString()} planted copies), threshold ${T}; ${madeSeconds > 0 ? `made in ${madeSeconds.toFixed(0)} s` : 'loaded'} from ${file}`,
  );
  if (!options.incrementalOnly && !options.uprightGateOnly) await candidateRates(corpus);
  const line = (name: string, r: JoinRun) =>
    `  ${name.padEnd(30)} ${r.seconds.toFixed(2).padStart(7)} s wall ${r.cpu.toFixed(2).padStart(7)} s CPU (process, all threads)  ` +
    `${r.pairs.toLocaleString()} candidate pairs (${r.sameSource.toLocaleString()} of one photograph), planted copies found ${r.planted.found}/${r.planted.total}`;
  const threads = os.availableParallelism();
  const points: [number, number][] = [];
  /** n, candidate pairs of the 64-bit join, of the keyed join, CPU seconds of 64-bit join + key, of the keyed join, hash comparisons. */
  const pairPoints: [number, number, number, number, number, number][] = [];
  if (options.uprightGateOnly) {
    for (const n of options.sizes) {
      console.log(`${n.toLocaleString()} images (${threads} worker threads):`);
      await uprightGateFigures(corpus, n, threads);
    }
    return;
  }
  for (const n of options.incrementalOnly ? [] : options.sizes) {
    console.log(`${n.toLocaleString()} images (${threads} worker threads unless said):`);
    // The main join (flips x whole pictures and regions) alone, as before (every 64-bit candidate, then the edge key
    // per pair as confirmPair tests it) and by the key (pairs failing it never leave the joining threads), in turn.
    const hashWorkers = new JoinWorkers(threads);
    const hashOnly = await productJoin(corpus, n, hashWorkers, NO_WIDE_GATES, false);
    await hashWorkers.close();
    const k = hashOnly.keyed!;
    console.log(line('64-bit join (main join)', hashOnly));
    console.log(
      `  ${'then the edge key per pair'.padEnd(30)} ${k.cpu.toFixed(2).padStart(7)} s CPU  ${k.pairs.toLocaleString()} pairs left ` +
        `(${k.sameSource.toLocaleString()} of one photograph), x${(hashOnly.pairs / Math.max(1, k.pairs)).toFixed(1)} fewer; planted copies kept ${k.planted}/${hashOnly.planted.found}`,
    );
    const keyWorkers = new JoinWorkers(threads);
    const keyed = await productJoin(corpus, n, keyWorkers, NO_WIDE_GATES, true);
    await keyWorkers.close();
    console.log(
      line('keyed join (main join)', keyed) +
        `; ${keyed.anyPairChecks!.toLocaleString()} pairs tested on every hash pair -> x${((hashOnly.cpu + k.cpu) / keyed.cpu).toFixed(2)} CPU, ` +
        `x${((hashOnly.seconds + k.cpu) / keyed.seconds).toFixed(2)} wall against 64-bit join + key`,
    );
    const missing = [...hashOnly.pairSet].filter((pair) => !keyed.pairSet.has(pair)).length;
    if (missing > 0 || keyed.pairSet.size !== hashOnly.pairSet.size)
      throw new Error(`keyed join: ${keyed.pairSet.size} pairs, 64-bit join + key ${hashOnly.pairSet.size}, ${missing} of those missing`);
    const point: [number, number, number, number, number, number] = [n, hashOnly.pairs, keyed.pairs, hashOnly.cpu + k.cpu, keyed.cpu, 0];
    pairPoints.push(point);
    const parallel = new JoinWorkers(threads);
    const ours = await productJoin(corpus, n, parallel);
    await parallel.close();
    console.log(line('product join (+ wide gates)', ours));
    points.push([n, ours.seconds]);
    const single = new JoinWorkers(1);
    const one = await productJoin(corpus, n, single);
    await single.close();
    console.log(line('product join, one thread', one) + `  -> ${(one.seconds / ours.seconds).toFixed(2)}x from threads`);
    if (n <= options.baselineUpTo) {
      const workers = new JoinWorkers(threads);
      const before = await previousJoin(corpus, n, workers);
      await workers.close();
      console.log(
        line('previous join (baseline)', before) + `  -> 64-bit main join ${(before.seconds / hashOnly.seconds).toFixed(2)}x faster`,
      );
      // The previous path had no wide gates and no key: it must find exactly the pairs of the 64-bit main join.
      if (before.pairs !== hashOnly.pairs)
        throw new Error(`64-bit main join found ${hashOnly.pairs} pairs, the previous join ${before.pairs}`);
    }
    point[5] = chunkingFigures(corpus, n, n === Math.min(...options.sizes) ? 2000 : 0);
  }
  // Incremental: the last 1,000 images of the largest size added one by one to an index of the rest, as ingest
  // does, by the product's index and the previous one (key-number buckets), image by image in turn; CPU time of
  // each add + query, and the same candidates from both.
  const ADDS = 1000;
  const index = new DuplicateIndex();
  const previous = new PreviousIncrementalIndex();
  for (let i = 0; i < largest - ADDS; i++) {
    const fp = corpusFingerprint(corpus, i);
    index.add(i, fp);
    previous.add(i, fp);
  }
  const cpu = { product: 0, previous: 0 };
  const t = performance.now();
  let found = 0;
  let copiesAdded = 0;
  let candidatePairs = 0;
  for (let i = largest - ADDS; i < largest; i++) {
    const fp = corpusFingerprint(corpus, i);
    let u = process.cpuUsage();
    index.add(i, fp);
    // The previous index models v4's gates (the flips' whole-picture margin): the product's query under the same gates.
    const candidates = index.candidates(i, fp, T, true, { ...NO_WIDE_GATES, wholeMargin: wholePictureMargin(T) });
    cpu.product += cpuSince(u);
    u = process.cpuUsage();
    previous.add(i, fp);
    const before = previous.candidates(i, fp, T);
    cpu.previous += cpuSince(u);
    if (before.size !== candidates.size || [...before].some((id) => !candidates.has(id)))
      throw new Error(`image ${i}: the product's index found ${candidates.size} candidates, the previous one ${before.size}`);
    candidatePairs += candidates.size;
    if (corpus.copyOf[i]! >= 0) {
      copiesAdded++;
      if (candidates.has(corpus.copyOf[i]!)) found++;
    }
  }
  const incremental = (performance.now() - t) / 1000;
  const msPerAdd = (seconds: number) => ((seconds * 1000) / ADDS).toFixed(2);
  console.log(
    `incremental: ${ADDS.toLocaleString()} images added to ${(largest - ADDS).toLocaleString()} one at a time (index queries both ways), CPU per image: ` +
      `${msPerAdd(cpu.product)} ms vs ${msPerAdd(cpu.previous)} ms for the previous index (key-number buckets), same run, ` +
      `${(cpu.previous / cpu.product).toFixed(2)}x; the same ${candidatePairs.toLocaleString()} candidates from both; both together ${incremental.toFixed(1)} s wall; ` +
      `planted copies found ${found}/${copiesAdded}`,
  );
  if (points.length >= 2) {
    const { a, b } = fitPower(points);
    console.log(
      `growth: time ~ n^${b.toFixed(2)} over ${points.map(([n]) => n.toLocaleString()).join(', ')}; extrapolated to 1M images: ${(a * 1e6 ** b).toFixed(0)} s wall (this machine, this load)`,
    );
    for (const [name, at] of [
      ['64-bit join + key per pair, CPU seconds', 3],
      ['keyed join, CPU seconds', 4],
      ['candidate pairs (64-bit join)', 1],
      ['pairs of the keyed join', 2],
      // What the join's CPU follows once fixed costs stop dominating: both joins make these comparisons.
      ['hash comparisons of the 64-bit plan (both joins)', 5],
    ] as const) {
      const fit = fitPower(pairPoints.map((p) => [p[0], Math.max(1e-3, p[at])]));
      console.log(`growth: ${name} ~ n^${fit.b.toFixed(2)}; extrapolated to 1M images: ${(fit.a * 1e6 ** fit.b).toExponential(2)}`);
    }
  }
}
