// Export benchmark: manifest and split of a synthetic catalogue (default 100k rows) whose fingerprints are real
// (views of the photographs of ../shared/data, test/fixtures/real-fingerprints.ts), against the 20 s
// budget, each stage as a ratio of a plain scan of the same rows measured in the same run; the leakage join
// against the previous join (all hashes x all hashes) on the same split, and against brute force on a sample.
// usage: npm run bench:export -- [--rows N] [--sample N] [--keep DIR]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportOptionsSchema } from '../../src-shared/api/export';
import { DEFAULT_DUPLICATE_THRESHOLD, DEFAULT_LICENSE_ALLOW_LIST } from '../../src-shared/defaults';
import { loadExportRows, snapshotCatalog } from '../../src-main/core/export/export-rows';
import { hamming64 } from '../../src-main/core/duplicates/popcount';
import { candidateGates, NO_WIDE_GATES } from '../../src-main/core/duplicates/content-only-gate';
import { JoinWorkers } from '../../src-main/core/duplicates/parallel-join';
import { leakConfirmer } from '../../src-main/core/export/confirm-leaks';
import { findCrossSplitLeaks, loadRowHashes, OFF_CENTRE, REGION, type RowHashes } from '../../src-main/core/export/leakage-report';
import { FINGERPRINT_VERSION, parseFingerprint } from '../../src-main/core/imaging/fingerprint';
import { OFF_CENTRE_WINDOWS } from '../../src-main/core/imaging/off-centre-windows';
import {
  COEFFICIENT_BYTES,
  EDGE_WORDS,
  MAX_REGIONS,
  OFF_CENTRE_WORDS,
  realFingerprintCorpus,
  type FingerprintCorpus,
} from '../fixtures/real-fingerprints';
import { buildManifest, manifestCsvLines, manifestJsonlLines, plannedFiles } from '../../src-main/core/export/manifest';
import { writeLines } from '../../src-main/core/export/write-lines';
import type { ExportDesign } from '../../src-main/core/export/plan-export';
import { repairLeaks } from '../../src-main/core/export/repair-leaks';
import { viewFunnel } from '../../src-main/core/export/left-out';
import { selectImages } from '../../src-main/core/export/select-images';
import { assignSplits } from '../../src-main/core/export/split-groups';
import { Library } from '../../src-main/core/library';
import { seededRandom } from '../fixtures/synthetic-photos';

const { values } = parseArgs({
  options: {
    // Real fingerprints are made once per size (~2 ms CPU per image) and stored: 1M takes ~35 CPU minutes.
    rows: { type: 'string', default: '100000' },
    sample: { type: 'string', default: '20000' },
    // Keeps the synthetic catalogue in DIR and reuses it on the next run (filling 1M rows takes ~90 s).
    keep: { type: 'string' },
    fill: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const SAMPLE = Number(values.sample);
const BUDGET_SECONDS = 20;
const tmp = values.keep ? path.resolve(values.keep) : path.join(os.tmpdir(), `sporeprint-bench-export-${process.pid}`);

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/**
 * A stored fingerprint blob holding corpus image i's hashes, edge hashes and DCT coefficients (what leak confirmation
 * reads) and its off-centre windows, in fingerprint v5's layout. A blob the product cannot parse would make every row
 * fall back to its single perceptual hash, so each one is checked.
 */
function fingerprintBlob(c: FingerprintCorpus, i: number): Buffer {
  const regions = c.regionCount[i]!;
  const edgesAt = 82 + 8 * regions;
  const coefficientsAt = edgesAt + 8 * (8 + regions);
  const offCentreAt = coefficientsAt + (1 + regions) * 64;
  const blob = Buffer.alloc(offCentreAt + OFF_CENTRE_WINDOWS * 8);
  blob[0] = FINGERPRINT_VERSION;
  blob[1] = regions;
  for (let k = 0; k < 8; k++) {
    blob.writeUInt32BE(c.dihedralHi[8 * i + k]!, 18 + 8 * k);
    blob.writeUInt32BE(c.dihedralLo[8 * i + k]!, 18 + 8 * k + 4);
  }
  for (let k = 0; k < regions; k++) {
    blob.writeUInt32BE(c.regionHi[MAX_REGIONS * i + k]!, 82 + 8 * k);
    blob.writeUInt32BE(c.regionLo[MAX_REGIONS * i + k]!, 82 + 8 * k + 4);
  }
  for (let w = 0; w < 2 * (8 + regions); w++) blob.writeUInt32BE(c.edges[EDGE_WORDS * i + w]!, edgesAt + 4 * w);
  const coefficients = c.coefficients.subarray(COEFFICIENT_BYTES * i, COEFFICIENT_BYTES * i + (1 + regions) * 64);
  Buffer.from(coefficients.buffer, coefficients.byteOffset, coefficients.byteLength).copy(blob, coefficientsAt);
  for (let w = 0; w < OFF_CENTRE_WORDS; w++) blob.writeUInt32BE(c.offCentre[OFF_CENTRE_WORDS * i + w]!, offCentreAt + 4 * w);
  if (!parseFingerprint(blob))
    throw new Error(`bench: corpus image ${i}'s fingerprint blob does not parse as version ${FINGERPRINT_VERSION}`);
  return blob;
}

/**
 * A catalogue shaped like a real one, on real fingerprints (test/fixtures/real-fingerprints.ts): 2,000 species,
 * mixed licences, the corpus's planted copies in clusters with their originals (same species), 30% of the other
 * photos in observations of 2-4.
 */
function fillCatalogue(lib: Library, rows: number, c: FingerprintCorpus): void {
  const rnd = seededRandom(2026);
  const db = lib.db;
  const insertImage = db.prepare(
    `INSERT INTO image (id, sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution, quality_sharpness,
       quality_noise, quality_colour, license, attribution, source_url, observation_group, fingerprint, fingerprint_version)
     VALUES (?, ?, ?, 'jpeg', 1600, 1200, 400000, ?, 0.5, 0.5, 0.5, 0.5, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLocation = db.prepare(`INSERT INTO location (image_id, path, size, mtime_ms) VALUES (?, ?, 400000, 0)`);
  const insertLabel = db.prepare(`INSERT INTO label (image_id, taxon, rank, state) VALUES (?, ?, 'species', 'human_verified')`);
  const insertCluster = db.prepare(`INSERT OR IGNORE INTO cluster (id, representative_id, threshold, weakest_link) VALUES (?, ?, 10, 4)`);
  const insertMember = db.prepare(`INSERT OR IGNORE INTO cluster_member (image_id, cluster_id, distance) VALUES (?, ?, ?)`);
  const species = Array.from({ length: 2000 }, (_, i) => `Genus${Math.floor(i / 5)} species${i}`);
  const taxonOf: string[] = [];
  const clusterOf = new Int32Array(rows).fill(-1);
  db.transaction(() => {
    let observationLeft = 0;
    let observation = 0;
    let taxon = species[0]!;
    for (let i = 0; i < rows; i++) {
      const id = i + 1;
      const original = c.copyOf[i]!;
      let obs: string | null = null;
      if (original >= 0) taxon = taxonOf[original]!;
      else if (observationLeft > 0) {
        observationLeft--;
        obs = `obs-${observation}`;
      } else {
        taxon = species[Math.floor(rnd() ** 1.5 * species.length)]!;
        if (rnd() < 0.3) {
          observationLeft = 1 + Math.floor(rnd() * 3);
          obs = `obs-${++observation}`;
        }
      }
      taxonOf[i] = taxon;
      const r = rnd();
      const license = r < 0.85 ? 'CC-BY-SA-3.0' : r < 0.9 ? 'CC0-1.0' : r < 0.95 ? 'CC-BY-NC-4.0' : 'CC-BY-4.0';
      const attribution = license === 'CC0-1.0' || rnd() < 0.01 ? null : `Photographer ${id % 5000}`;
      const sha = createHash('sha256').update(String(id)).digest('hex');
      insertImage.run(
        id,
        sha,
        hex8(c.dihedralHi[8 * i]!) + hex8(c.dihedralLo[8 * i]!),
        40 + rnd() * 60,
        license,
        attribution,
        `https://example.org/${id}`,
        obs,
        fingerprintBlob(c, i),
        FINGERPRINT_VERSION,
      );
      insertLocation.run(id, `/photos/${id}.jpg`);
      insertLabel.run(id, taxon);
      if (original >= 0) {
        // The copy joins its original's cluster (the original is its representative).
        const root = clusterOf[original]! >= 0 ? clusterOf[original]! : original;
        clusterOf[i] = root;
        clusterOf[original] = root;
        insertCluster.run(root + 1, root + 1);
        insertMember.run(root + 1, root + 1, 0);
        insertMember.run(id, root + 1, 1);
      }
    }
  })();
}

/** The leakage join as it was: every hash of later splits against every hash of the earlier one, region pairs dropped from the hits. */
async function previousCrossSplitLeaks(hashes: RowHashes, splitOf: Uint8Array, workers: JoinWorkers): Promise<number> {
  const best = new Set<string>();
  for (let s = 0; s < 2; s++) {
    const list = (keep: (x: number) => boolean) => {
      const hi: number[] = [];
      const lo: number[] = [];
      const owner: number[] = [];
      const kind: number[] = [];
      for (let r = 0; r < splitOf.length; r++) {
        if (!keep(splitOf[r]!)) continue;
        for (let e = hashes.start[r]!; e < hashes.start[r + 1]!; e++) {
          // The previous join predates the off-centre windows: whole pictures (upright included) and regions only.
          if (hashes.kind[e] === OFF_CENTRE) continue;
          hi.push(hashes.hi[e]!);
          lo.push(hashes.lo[e]!);
          owner.push(r);
          kind.push(hashes.kind[e]!);
        }
      }
      return { hi: Uint32Array.from(hi), lo: Uint32Array.from(lo), owner, kind };
    };
    const earlier = list((x) => x === s);
    const later = list((x) => x > s);
    await workers.join(later, earlier, DEFAULT_DUPLICATE_THRESHOLD, (i, j) => {
      if (later.kind[i] === REGION && earlier.kind[j] === REGION) return;
      const p = later.owner[i]!;
      const q = earlier.owner[j]!;
      best.add(p < q ? `${p}:${q}` : `${q}:${p}`);
    });
  }
  return best.size;
}

function bruteForceCrossPairs(hi: Uint32Array, lo: Uint32Array, split: Uint8Array, t: number): number {
  let pairs = 0;
  for (let i = 0; i < hi.length; i++)
    for (let j = i + 1; j < hi.length; j++) if (split[i] !== split[j] && hamming64(hi[i]!, lo[i]!, hi[j]!, lo[j]!) <= t) pairs++;
  return pairs;
}

/** Fills the catalogue in a child process, so the measured process starts with a clean heap, as an export would. */
function fillInChildProcess(): number {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--fill', '--rows', String(ROWS), '--keep', tmp],
    {
      stdio: 'inherit',
    },
  );
  if (child.status !== 0) throw new Error(`filling the catalogue failed (exit ${child.status})`);
  return (performance.now() - started) / 1000;
}

async function fill(): Promise<void> {
  const { corpus, madeSeconds } = await realFingerprintCorpus({ images: ROWS, log: (l) => console.log(l) });
  if (madeSeconds > 0) console.log(`real fingerprints made in ${madeSeconds.toFixed(0)} s`);
  const lib = Library.open(tmp, { env: {} });
  try {
    fillCatalogue(lib, ROWS, corpus);
    // A catalogue at rest: its one huge fill transaction checkpointed out of the WAL, as SQLite does over time.
    lib.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await lib.close();
  }
}

async function main() {
  if (!values.keep) rmSync(tmp, { recursive: true, force: true });
  rmSync(path.join(tmp, 'out'), { recursive: true, force: true });
  const count = async () => {
    const lib = Library.open(tmp, { env: {} });
    const n = (lib.db.prepare(`SELECT count(*) AS n FROM image`).get() as { n: number }).n;
    await lib.close();
    return n;
  };
  const existing = await count();
  if (existing === 0) {
    const fillSeconds = fillInChildProcess();
    console.log(
      `catalogue: ${ROWS.toLocaleString()} labelled images written in ${fillSeconds.toFixed(1)} s (setup in a child process, not timed below)`,
    );
  } else if (existing === ROWS) console.log(`catalogue: reusing ${existing.toLocaleString()} images in ${tmp}`);
  else throw new Error(`${tmp} holds ${existing} images, not ${ROWS}: remove it or pass a matching --rows`);
  const lib = Library.open(tmp, { env: {} });
  try {
    const options = exportOptionsSchema.parse({ outDir: path.join(tmp, 'out'), formats: ['imagefolder', 'csv', 'jsonl', 'hf'] });
    const licenses = [...DEFAULT_LICENSE_ALLOW_LIST];

    // Baseline: reading the same rows with the same joins' driving table and nothing else.
    const [scanned, scanSeconds] = time(() => {
      let n = 0;
      for (const row of lib.db.prepare(`SELECT * FROM image i JOIN label l ON l.image_id = i.id`).raw().iterate())
        n += (row as unknown[]).length > 0 ? 1 : 0;
      return n;
    });
    const [loaded, loadSeconds] = time(() => loadExportRows(lib.db, options.view, { allDuplicates: false }));
    const [selection, selectSeconds] = time(() =>
      selectImages(loaded.rows, { licenses, taxonRank: 'species', onePerCluster: false, minPerClass: 1, maxPerClass: undefined }),
    );
    const [split, splitSeconds] = time(() => assignSplits(selection.rows, options.split, options.seed));
    const [hashes, hashLoadSeconds] = time(() => loadRowHashes(lib.db, selection.rows));
    // As designExport does: both leakage checks on worker threads (started on first use, so inside the timing).
    const workers = new JoinWorkers();
    // The product counts confirmed pairs (confirm-leaks.ts; here the DCT rule decides, the bench stores no renditions).
    const confirm = leakConfirmer(lib.db, selection.rows, DEFAULT_DUPLICATE_THRESHOLD);
    const [repaired, repairSeconds] = await timeAsync(() => repairLeaks(hashes, split, DEFAULT_DUPLICATE_THRESHOLD, workers, confirm));
    const [leakage, leakSeconds] = await timeAsync(() =>
      findCrossSplitLeaks(hashes, repaired.splitOf, DEFAULT_DUPLICATE_THRESHOLD, workers, confirm),
    );
    // The same repair with the threshold's joins alone (before the wide gates), a fresh confirmer so no verdict is reused.
    const [narrowRepaired, narrowRepairSeconds] = await timeAsync(() =>
      repairLeaks(
        hashes,
        split,
        DEFAULT_DUPLICATE_THRESHOLD,
        workers,
        leakConfirmer(lib.db, selection.rows, DEFAULT_DUPLICATE_THRESHOLD),
        NO_WIDE_GATES,
      ),
    );
    // The previous rule: every hash-near pair is a leak.
    const [hashOnlyRepair, hashOnlyRepairSeconds] = await timeAsync(() =>
      repairLeaks(hashes, split, DEFAULT_DUPLICATE_THRESHOLD, workers, null),
    );
    const [finalHashOnly, finalHashOnlySeconds] = await timeAsync(() =>
      findCrossSplitLeaks(hashes, repaired.splitOf, DEFAULT_DUPLICATE_THRESHOLD, workers, null),
    );
    const [previousPairs, previousSeconds] = await timeAsync(() => previousCrossSplitLeaks(hashes, repaired.splitOf, workers));
    const [firstSplitPairs, firstSplitSeconds] = await timeAsync(() =>
      findCrossSplitLeaks(hashes, split.splitOf, DEFAULT_DUPLICATE_THRESHOLD, workers, null),
    );
    const [previousFirst, previousFirstSeconds] = await timeAsync(() => previousCrossSplitLeaks(hashes, split.splitOf, workers));
    if (previousFirst !== firstSplitPairs.pairs.length || previousPairs !== finalHashOnly.pairs.length)
      throw new Error(`leakage join found ${firstSplitPairs.pairs.length} pairs on the first split, the previous join ${previousFirst}`);
    const [snapshot, snapshotSeconds] = time(() => snapshotCatalog(lib.db, loaded));
    const [funnel, funnelSeconds] = time(() => viewFunnel(lib.db, options.view, loaded));
    // The same stages designExport runs, timed one by one; the design they make feeds the manifest.
    const design: ExportDesign = {
      options,
      licenses,
      duplicateThreshold: DEFAULT_DUPLICATE_THRESHOLD,
      selection,
      split: { ...split, splitOf: repaired.splitOf },
      leakage,
      regroupedPairs: repaired.pairsJoined,
      movedRows: repaired.rowsMoved,
      snapshot,
      funnel,
    };
    const designSeconds =
      loadSeconds + selectSeconds + splitSeconds + hashLoadSeconds + repairSeconds + leakSeconds + snapshotSeconds + funnelSeconds;
    const manifestStart = process.hrtime.bigint();
    const planned = plannedFiles(design);
    const entries = buildManifest(design, planned, (_file, row) => ({ sha256: row.sha256, width: row.width, height: row.height }));
    mkdirSync(options.outDir, { recursive: true });
    // As the export job does: the fingerprint is hashed from manifest.jsonl while it is written.
    const hash = createHash('sha256');
    await writeLines(path.join(options.outDir, 'manifest.jsonl'), manifestJsonlLines(entries), (chunk) => hash.update(chunk));
    const fingerprint = hash.digest('hex');
    await writeLines(path.join(options.outDir, 'manifest.csv'), manifestCsvLines(entries));
    const manifestSeconds = Number(process.hrtime.bigint() - manifestStart) / 1e9;
    const bytes = statSync(path.join(options.outDir, 'manifest.jsonl')).size + statSync(path.join(options.outDir, 'manifest.csv')).size;
    const manifest = { entries: entries.length, fingerprint, bytes };
    const total = designSeconds + manifestSeconds;
    const leakageSeconds = hashLoadSeconds + repairSeconds + leakSeconds;

    const ratio = (s: number) => `${(s / scanSeconds).toFixed(2)}x scan`;
    console.log(`\nbaseline: plain scan of ${scanned.toLocaleString()} image+label rows: ${scanSeconds.toFixed(2)} s`);
    console.log(
      `load view rows (${loaded.rows.length.toLocaleString()}, ${loaded.source}): ${loadSeconds.toFixed(2)} s (${ratio(loadSeconds)})`,
    );
    console.log(
      `select (licence, attribution, rank): ${selectSeconds.toFixed(2)} s (${ratio(selectSeconds)}); kept ${selection.rows.length.toLocaleString()}, ` +
        `licence -${selection.excludedByLicense.toLocaleString()}, attribution -${selection.excludedMissingAttribution.toLocaleString()}`,
    );
    console.log(
      `group-aware stratified split (${split.groups.toLocaleString()} groups): ${splitSeconds.toFixed(2)} s (${ratio(splitSeconds)})`,
    );
    console.log(
      `leak repair (full check of the first split, joins, re-check of moved rows): ${repairSeconds.toFixed(2)} s (${ratio(repairSeconds)}); ` +
        `${repaired.pairsJoined} near pairs outside clusters joined, ${repaired.rowsMoved} rows moved; hashes loaded in ${hashLoadSeconds.toFixed(2)} s`,
    );
    console.log(
      `independent leakage report on the final split: ${leakSeconds.toFixed(2)} s (${ratio(leakSeconds)}); confirmed pairs ${leakage.pairs.length}, ` +
        `hash-near pairs turned down ${leakage.rejected.toLocaleString()}; joins ${JSON.stringify(leakage.joins)}`,
    );
    console.log(
      `confirmed leaks vs hash-only leaks (previous rule), same first split: ${repaired.pairsJoined.toLocaleString()} vs ` +
        `${hashOnlyRepair.pairsJoined.toLocaleString()} pairs joined, ${repaired.rowsMoved.toLocaleString()} vs ${hashOnlyRepair.rowsMoved.toLocaleString()} rows moved, ` +
        `repair ${repairSeconds.toFixed(2)} s vs ${hashOnlyRepairSeconds.toFixed(2)} s (${(hashOnlyRepairSeconds / repairSeconds).toFixed(2)}x)`,
    );
    console.log(
      `leakage join on the first split (${firstSplitPairs.pairs.length.toLocaleString()} pairs): ${firstSplitSeconds.toFixed(2)} s; previous join (every hash x every hash, ` +
        `region pairs dropped from the hits) ${previousFirstSeconds.toFixed(2)} s, same pairs -> ${(previousFirstSeconds / firstSplitSeconds).toFixed(2)}x; ` +
        `on the final split ${finalHashOnlySeconds.toFixed(2)} s vs ${previousSeconds.toFixed(2)} s (${(previousSeconds / finalHashOnlySeconds).toFixed(2)}x)`,
    );
    console.log(
      `wide gates (upright pictures within ${DEFAULT_DUPLICATE_THRESHOLD + candidateGates(DEFAULT_DUPLICATE_THRESHOLD).uprightMargin}, off-centre windows) vs the threshold's joins alone, same split: ` +
        `${repaired.pairsJoined.toLocaleString()} vs ${narrowRepaired.pairsJoined.toLocaleString()} pairs joined, repair ${repairSeconds.toFixed(2)} s vs ` +
        `${narrowRepairSeconds.toFixed(2)} s (x${(repairSeconds / narrowRepairSeconds).toFixed(2)}); the bench stores no renditions, so every pair only a wide gate ` +
        `brings is turned down (its content check needs them): this measures the gates' cost, not their catch`,
    );
    console.log(`catalogue snapshot digest: ${snapshotSeconds.toFixed(2)} s`);
    console.log(`\ndesign (all of the above, as designExport runs it): ${designSeconds.toFixed(2)} s`);
    console.log(
      `manifest (${manifest.entries.toLocaleString()} entries, csv+jsonl ${(manifest.bytes / 1048576).toFixed(0)} MB written, fingerprint ${manifest.fingerprint.slice(0, 12)}): ${manifestSeconds.toFixed(2)} s`,
    );
    console.log(
      `TOTAL manifest and split: ${total.toFixed(2)} s = ${(total / BUDGET_SECONDS).toFixed(2)} of the ${BUDGET_SECONDS} s budget (${ratio(total)})`,
    );
    const withoutLeakage = total - leakageSeconds;
    console.log(
      `  of which leak repair + independent leakage report: ${leakageSeconds.toFixed(2)} s; manifest and split without them: ` +
        `${withoutLeakage.toFixed(2)} s = ${(withoutLeakage / BUDGET_SECONDS).toFixed(2)} of the budget`,
    );

    // Leakage search vs brute force on a sample of rows, one hash each (its first: the upright whole picture), same
    // split. One hash per row, since the split is per row and brute force compares every hash with every hash.
    const n = Math.min(SAMPLE, hashes.start.length - 1);
    const firstOf = (column: Uint32Array | Uint8Array, r: number) => column[hashes.start[r]!]!;
    const sampleHashes = {
      start: Uint32Array.from({ length: n + 1 }, (_, i) => i),
      hi: Uint32Array.from({ length: n }, (_, r) => firstOf(hashes.hi, r)),
      lo: Uint32Array.from({ length: n }, (_, r) => firstOf(hashes.lo, r)),
      kind: Uint8Array.from({ length: n }, (_, r) => firstOf(hashes.kind, r)),
    };
    const sampleSplit = split.splitOf.slice(0, n);
    const [brute, bruteSeconds] = time(() =>
      bruteForceCrossPairs(sampleHashes.hi, sampleHashes.lo, sampleSplit, DEFAULT_DUPLICATE_THRESHOLD),
    );
    const [indexed, indexedSeconds] = await timeAsync(() =>
      findCrossSplitLeaks(sampleHashes, sampleSplit, DEFAULT_DUPLICATE_THRESHOLD, workers, null),
    );
    await workers.close();
    console.log(
      `\nleakage on a ${n.toLocaleString()}-row sample (each row's upright whole-picture hash): brute force ${bruteSeconds.toFixed(2)} s (${brute} pairs), ` +
        `multi-index ${indexedSeconds.toFixed(3)} s (${indexed.pairs.length} pairs): ${(bruteSeconds / indexedSeconds).toFixed(1)}x faster`,
    );
    if (brute !== indexed.pairs.length) throw new Error(`multi-index found ${indexed.pairs.length} pairs, brute force ${brute}`);
    console.log(
      `peak heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB, rss ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MB`,
    );
  } finally {
    await lib.close();
    if (!values.keep) rmSync(tmp, { recursive: true, force: true });
  }
}

if (values.fill) await fill();
else await main();
