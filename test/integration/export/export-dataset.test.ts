// Export end to end over a real (generated, ingested) library: formats, HF read-back, reproducibility,
// group integrity, leakage, licences, attribution, class limits, derivative sizes and atomicity.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportOptions } from '../../../src-shared/api/export';
import { runCli } from '../../../src-main/cli/main';
import { hammingDistanceHex } from '../../../src-main/core/catalog/hamming';
import { parseCsv } from '../../../src-main/core/ingest/sidecar';
import type { Library } from '../../../src-main/core/library';
import { buildCuratedLibrary, CURATED_TAXA, RARE_TAXON, type CuratedPhoto } from '../../fixtures/curated-library';
import { IMAGE_EXTENSIONS, listFiles, readHfImagefolder, readJsonl, sha256File } from '../../fixtures/export-readers';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

let lib: Library;
let libDir: string;
let work: string;
let photosRoot: string;
let plan: CuratedPhoto[];
const cleanups: (() => void | Promise<void>)[] = [];
let counter = 0;

beforeAll(async () => {
  const opened = openTempLibrary();
  lib = opened.lib;
  libDir = opened.dir;
  cleanups.push(opened.cleanup);
  const tmp = makeTempDir('sporeprint-export-');
  cleanups.push(tmp.cleanup);
  work = tmp.dir;
  photosRoot = path.join(work, 'photos');
  plan = await buildCuratedLibrary(lib, photosRoot);
  // Whether or not the duplicates domain clustered at ingest, each resized copy is clustered with its original.
  if (lib.db.prepare(`SELECT count(*) FROM cluster_member`).pluck().get() === 0) clusterCopies();
});

const imageIdOf = (p: CuratedPhoto) =>
  lib.db
    .prepare(`SELECT image_id FROM location WHERE path = ?`)
    .pluck()
    .get(path.join(photosRoot, p.taxon, p.file)) as number;

function clusterCopies(): void {
  const insertCluster = lib.db.prepare(`INSERT INTO cluster (representative_id, threshold, weakest_link) VALUES (?, 10, 3)`);
  const insertMember = lib.db.prepare(`INSERT INTO cluster_member (image_id, cluster_id, distance) VALUES (?, ?, ?)`);
  lib.db.transaction(() => {
    for (const copy of plan.filter((p) => p.copyOf)) {
      const original = plan.find((p) => p.taxon === copy.taxon && p.file === copy.copyOf)!;
      const cluster = Number(insertCluster.run(imageIdOf(original)).lastInsertRowid);
      insertMember.run(imageIdOf(original), cluster, 0);
      insertMember.run(imageIdOf(copy), cluster, 3);
    }
  })();
}
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function exportTo(options: Omit<ExportOptions, 'outDir'>, name = `out-${++counter}`) {
  const outDir = path.join(work, name);
  const { jobId } = await lib.invoke('export.start', { outDir, ...options });
  const job = await lib.waitForJob(jobId);
  return { outDir, job };
}

describe('export', () => {
  it('writes imagefolder, csv, jsonl and an HF folder that reads back with every file accounted for', async () => {
    const { outDir, job } = await exportTo({ formats: ['imagefolder', 'csv', 'jsonl', 'hf'] });
    expect(job.status, job.error ?? '').toBe('completed');
    const manifest = readJsonl(path.join(outDir, 'manifest.jsonl'));
    const csv = parseCsv(readFileSync(path.join(outDir, 'manifest.csv'), 'utf8')).filter((r) => r.length > 1);
    expect(csv[0]).toEqual(Object.keys(manifest[0]!));
    expect(csv.length - 1).toBe(manifest.length);

    // 4 classes x their photos, minus 3 NC, minus 1 CC-BY without attribution, minus cluster members.
    const dry = await lib.invoke('export.plan', { outDir });
    expect(manifest).toHaveLength(dry.images);
    expect(dry.images + dry.duplicatesDropped).toBe(plan.length - 4);
    expect(dry.duplicatesDropped).toBeGreaterThanOrEqual(plan.filter((p) => p.copyOf).length);
    for (const m of manifest) {
      const file = path.join(outDir, m.file as string);
      expect(sha256File(file)).toBe(m.sha256);
      // imagefolder: <split>/<class>/<file>
      const [split, folder] = (m.file as string).split('/');
      expect(split).toBe(m.split);
      expect(folder).toBe((m.taxon as string).replace(/ /g, '_'));
    }
    const images = listFiles(outDir).filter((f) => IMAGE_EXTENSIONS.test(f));
    expect(images.sort()).toEqual(manifest.map((m) => m.file as string).sort());

    const hf = readHfImagefolder(outDir);
    const hfCount = Object.values(hf).reduce((n, records) => n + records.length, 0);
    expect(hfCount).toBe(manifest.length);
    expect(Object.keys(hf)).toContain('train');
    for (const records of Object.values(hf)) for (const r of records) expect(CURATED_TAXA.concat(RARE_TAXON as never)).toContain(r.label);

    const readme = readFileSync(path.join(outDir, 'README.md'), 'utf8');
    const fingerprint = createHash('sha256')
      .update(readFileSync(path.join(outDir, 'manifest.jsonl')))
      .digest('hex');
    expect(readme).toContain(fingerprint);
    expect((job.result as { fingerprint: string }).fingerprint).toBe(fingerprint);
    expect(readme).toMatch(/left out for a licence outside it: 3; for no known licence: 0/);
    expect(readme).toMatch(/\| license not allowed \| 3 \|/);
    expect(readme).toContain('| Amanita muscaria |');
    expect(readme).toContain('CC-BY-SA-3.0');
    expect(readme).toMatch(/## Catalogue snapshot/);
  });

  it('reproduces byte for byte with the same seed and changes the split with another seed', async () => {
    const options = { formats: ['imagefolder', 'csv', 'jsonl', 'hf'] as const, seed: 7 };
    const a = await exportTo({ ...options, formats: [...options.formats] });
    const b = await exportTo({ ...options, formats: [...options.formats] });
    expect(a.job.status).toBe('completed');
    const filesA = listFiles(a.outDir).sort();
    expect(listFiles(b.outDir).sort()).toEqual(filesA);
    for (const f of filesA) expect(sha256File(path.join(b.outDir, f)), f).toBe(sha256File(path.join(a.outDir, f)));

    const splitsOf = (dir: string) => new Map(readJsonl(path.join(dir, 'manifest.jsonl')).map((m) => [m.source_sha256, m.split]));
    const seeds = await Promise.all([11, 12, 13].map(async (seed) => splitsOf((await exportTo({ formats: ['jsonl'], seed })).outDir)));
    const base = splitsOf(a.outDir);
    const differs = seeds.some((s) => [...s].some(([sha, split]) => base.get(sha) !== split));
    expect(differs).toBe(true);
  });

  it('keeps observations and duplicate clusters in one split and leaks no near-duplicate across splits', async () => {
    const copies = plan.filter((p) => p.copyOf);
    const one = await exportTo({ formats: ['jsonl'], split: [50, 25, 25], seed: 3 });
    const oneManifest = readJsonl(path.join(one.outDir, 'manifest.jsonl'));
    const clusters = oneManifest.map((m) => m.cluster_id).filter((c) => c !== null);
    expect(new Set(clusters).size).toBe(clusters.length);
    expect(oneManifest.some((m) => copies.some((c) => (m.source_url as string).endsWith(`/${c.file}`)))).toBe(false);

    for (const seed of [1, 2, 3, 4]) {
      const { outDir, job } = await exportTo({ formats: ['jsonl'], split: [50, 25, 25], seed, allDuplicates: true });
      expect(job.status).toBe('completed');
      const manifest = readJsonl(path.join(outDir, 'manifest.jsonl'));
      const splitOf = new Map<string, unknown>();
      for (const m of manifest) {
        for (const key of [m.observation_group ? `o:${m.observation_group}` : null, m.cluster_id !== null ? `c:${m.cluster_id}` : null]) {
          if (!key) continue;
          expect(splitOf.get(key) ?? m.split, key).toBe(m.split);
          splitOf.set(key, m.split);
        }
      }
      expect([...splitOf.keys()].filter((k) => k.startsWith('c:')).length).toBeGreaterThanOrEqual(copies.length);
      expect([...splitOf.keys()].filter((k) => k.startsWith('o:')).length).toBe(7);
      // Independent check: brute force over all exported pairs, straight from the stored hashes.
      const hashOf = lib.db.prepare(`SELECT perceptual_hash FROM image WHERE sha256 = ?`).pluck();
      let nearPairs = 0;
      for (let i = 0; i < manifest.length; i++)
        for (let j = i + 1; j < manifest.length; j++) {
          const d = hammingDistanceHex(hashOf.get(manifest[i]!.source_sha256) as string, hashOf.get(manifest[j]!.source_sha256) as string);
          if (d > 10) continue;
          nearPairs++;
          expect(manifest[i]!.split, `${manifest[i]!.file} ~ ${manifest[j]!.file}`).toBe(manifest[j]!.split);
        }
      expect(nearPairs).toBeGreaterThanOrEqual(copies.length);
      const leakage = JSON.parse(readFileSync(path.join(outDir, 'leakage.json'), 'utf8')) as { crossSplitPairs: number };
      expect(leakage.crossSplitPairs).toBe(0);
    }
  });

  it('joins near-duplicates no cluster knows about before splitting, so the leakage stays zero', async () => {
    // As if clustering had not run yet: the leakage check alone must keep copies with their originals.
    lib.db.exec('SAVEPOINT no_clusters');
    try {
      lib.db.exec('DELETE FROM cluster');
      const plans = await Promise.all(
        [1, 2, 3, 4].map((seed) => lib.invoke('export.plan', { outDir: path.join(work, 'unused'), seed, split: [34, 33, 33] })),
      );
      for (const p of plans) expect(p.leakagePairs).toBe(0);
      // In at least one seed the first split put a resized copy and its original apart; the check caught it.
      expect(plans.reduce((n, p) => n + p.regroupedPairs, 0)).toBeGreaterThanOrEqual(1);
    } finally {
      lib.db.exec('ROLLBACK TO no_clusters; RELEASE no_clusters');
    }
    expect(lib.db.prepare(`SELECT count(*) FROM cluster_member`).pluck().get()).toBeGreaterThan(0);
  });

  it('applies the licence allow-list or its override, and credits every image whose licence requires it', async () => {
    const { outDir } = await exportTo({ formats: ['csv'], licenses: ['CC-BY-NC-SA', 'CC-BY-SA', 'CC0', 'CC-BY'] });
    const manifest = parseCsv(readFileSync(path.join(outDir, 'manifest.csv'), 'utf8'))
      .slice(1)
      .filter((r) => r.length > 1);
    const licenses = manifest.map((r) => r[9]);
    expect(licenses.filter((l) => l === 'CC-BY-NC-SA-3.0')).toHaveLength(3);
    // The CC BY photo without a photographer is never exported.
    expect(licenses).not.toContain('CC-BY-4.0');

    const credits = parseCsv(readFileSync(path.join(outDir, 'ATTRIBUTION.csv'), 'utf8')).filter((r) => r.length > 1);
    expect(credits[0]).toEqual(['file', 'taxon', 'attribution', 'license', 'license_url', 'source_url']);
    expect(
      credits
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(manifest.map((r) => r[0]).sort());
    for (const r of credits.slice(1)) {
      if (r[3] !== 'CC0-1.0') expect(r[2]!.trim(), r[0]).not.toBe('');
      expect(r[5]).toMatch(/^https:\/\/example\.org\//);
    }
    const md = readFileSync(path.join(outDir, 'ATTRIBUTION.md'), 'utf8');
    for (const r of credits.slice(1)) expect(md).toContain(r[0]!);
    expect(md).toContain('[CC-BY-NC-SA-3.0](https://creativecommons.org/licenses/by-nc-sa/3.0/)');
  });

  it('leaves out classes under --min-per-class and lists them; caps classes at --max-per-class', async () => {
    const { outDir, job } = await exportTo({ formats: ['jsonl'], minPerClass: 3, maxPerClass: 5 });
    expect(job.status).toBe('completed');
    const manifest = readJsonl(path.join(outDir, 'manifest.jsonl'));
    expect(manifest.some((m) => m.taxon === RARE_TAXON)).toBe(false);
    for (const taxon of CURATED_TAXA) expect(manifest.filter((m) => m.taxon === taxon)).toHaveLength(5);
    const readme = readFileSync(path.join(outDir, 'README.md'), 'utf8');
    expect(readme).toContain(`| ${RARE_TAXON} | 2 |`);
  });

  it('exports medium derivatives with their own hashes and sizes', async () => {
    const { outDir, job } = await exportTo({ formats: ['jsonl'], size: 'medium' });
    expect(job.status, job.error ?? '').toBe('completed');
    const manifest = readJsonl(path.join(outDir, 'manifest.jsonl'));
    for (const m of manifest.slice(0, 6)) {
      const file = path.join(outDir, m.file as string);
      expect(m.file).toMatch(/\.jpg$/);
      expect(sha256File(file)).toBe(m.sha256);
      const meta = await sharp(file).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', m.width, m.height]);
    }
  });

  it('is atomic: a failure halfway or a cancel leaves neither the export nor a partial folder; errors name the image', async () => {
    const dryRun = await lib.invoke('export.plan', { outDir: path.join(work, 'unused') });
    const probe = await exportTo({ formats: ['jsonl'] });
    const manifest = readJsonl(path.join(probe.outDir, 'manifest.jsonl'));
    const victim = manifest[Math.floor(manifest.length / 2)]!;
    const victimPath = lib.db
      .prepare(`SELECT l.path FROM location l JOIN image i ON i.id = l.image_id WHERE i.sha256 = ?`)
      .pluck()
      .get(victim.source_sha256) as string;
    const saved = readFileSync(victimPath);
    rmSync(victimPath);
    try {
      const outDir = path.join(work, 'atomic', 'dataset');
      const { jobId } = await lib.invoke('export.start', { outDir, formats: ['jsonl', 'csv', 'hf'] });
      const job = await lib.waitForJob(jobId);
      expect(job.status).toBe('failed');
      expect(job.error).toContain(victim.source_sha256 as string);
      expect(job.done).toBeGreaterThan(0);
      expect(job.done).toBeLessThan(dryRun.images);
      expect(existsSync(outDir)).toBe(false);
      expect(readdirSync(path.dirname(outDir))).toEqual([]);
    } finally {
      writeFileSync(victimPath, saved);
    }
    await expect(lib.invoke('export.start', { outDir: probe.outDir })).rejects.toThrow(/not empty/);

    // Cancelled (Ctrl-C in the CLI): the same clean-up.
    const cancelledDir = path.join(work, 'cancelled', 'dataset');
    const { jobId } = await lib.invoke('export.start', { outDir: cancelledDir, formats: ['jsonl'] });
    lib.jobs.cancel(jobId);
    expect((await lib.waitForJob(jobId)).status).toBe('cancelled');
    expect(existsSync(cancelledDir)).toBe(false);
    expect(readdirSync(path.dirname(cancelledDir))).toEqual([]);
  });

  it('runs from the CLI: dry run prints counts, a real run prints the fingerprint', async () => {
    const all = await lib.invoke('export.plan', { outDir: path.join(work, 'unused') });
    const bySa = await lib.invoke('export.plan', { outDir: path.join(work, 'unused'), licenses: ['CC-BY-SA'] });
    await lib.close();
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), interactive: false };
    const outDir = path.join(work, 'cli-out');
    expect(
      await runCli(['--library', libDir, 'export', outDir, '--split', '70/15/15', '--format', 'csv', '--format', 'hf', '--dry-run'], io),
    ).toBe(0);
    expect(lines.join('\n')).toContain(`dry run: nothing was written\n${all.images} images in 4 classes`);
    expect(existsSync(outDir)).toBe(false);
    lines.length = 0;
    expect(
      await runCli(['--library', libDir, 'export', outDir, '--format', 'csv,jsonl', '--seed', '5', '--licenses', 'CC-BY-SA'], io),
    ).toBe(0);
    expect(bySa.images).toBe(all.images - 1);
    expect(lines.join('\n')).toContain(`exported ${bySa.images} images`);
    expect(lines.join('\n')).toMatch(/fingerprint [0-9a-f]{64}; near-duplicate pairs across splits: 0/);
    expect(existsSync(path.join(outDir, 'manifest.csv'))).toBe(true);
  });
});
