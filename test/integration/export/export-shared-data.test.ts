// Export of the real photographs in ../shared/data: licences, photographers, thumbnails kept with their photo.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeLicense } from '../../../src-shared/licenses';
import { hammingDistanceHex } from '../../../src-main/core/catalog/hamming';
import type { Library } from '../../../src-main/core/library';
import { readHfImagefolder, readJsonl } from '../../fixtures/export-readers';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath } from '../../fixtures/shared-data';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

interface SpeciesMetadata {
  scientific_name: string;
  images: { photographer: string; license_url: string; sha256: string }[];
}

if (!hasSharedData) console.warn(SHARED_DATA_SKIP_REASON);

describe.skipIf(!hasSharedData)('export of ../shared/data', () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  let out: { dir: string; cleanup: () => void };
  const bySha = new Map<string, { photographer: string; license: string }>();

  beforeAll(async () => {
    const root = sharedDataPath('mushroom-observer');
    for (const code of readdirSync(root)) {
      const meta = JSON.parse(readFileSync(path.join(root, code, 'metadata.json'), 'utf8')) as SpeciesMetadata;
      for (const image of meta.images)
        bySha.set(image.sha256, { photographer: image.photographer.trim(), license: normalizeLicense(image.license_url).id });
    }
    ({ lib, cleanup } = openTempLibrary());
    out = makeTempDir('sporeprint-export-real-');
    const job = await ingestAndWait(lib, [root]);
    expect(job.status).toBe('completed');
  }, 600_000);
  afterAll(async () => {
    await cleanup?.();
    out?.cleanup();
  });

  it('exports source-claimed photos without non-commercial licences, each credited to its photographer', async () => {
    const outDir = path.join(out.dir, 'general');
    const { jobId } = await lib.invoke('export.start', { outDir, view: 'training_general', formats: ['hf', 'jsonl'], seed: 1 });
    const job = await lib.waitForJob(jobId);
    expect(job.status, job.error ?? '').toBe('completed');
    const manifest = readJsonl(path.join(outDir, 'manifest.jsonl'));
    expect(manifest.length).toBeGreaterThan(100);
    const nc = [...bySha.values()].filter((m) => m.license.startsWith('CC-BY-NC')).length;
    expect(nc).toBeGreaterThanOrEqual(1);
    const dry = await lib.invoke('export.plan', { outDir, view: 'training_general' });
    expect(dry.excludedByLicense).toBeGreaterThanOrEqual(nc);
    expect(dry.images).toBe(manifest.length);
    for (const m of manifest) {
      expect(m.license as string).not.toMatch(/NC/);
      const source = bySha.get(m.source_sha256 as string);
      // Every exported photo is one of the catalogued field photographs (thumbnails carry no licence of their own).
      expect(source, m.file as string).toBeDefined();
      expect(m.attribution).toBe(source!.photographer);
      expect(m.license).toBe(source!.license);
    }
    const hf = readHfImagefolder(outDir);
    expect(Object.values(hf).reduce((n, r) => n + r.length, 0)).toBe(manifest.length);

    // No two exported photos within the library's threshold sit in different splits.
    const hashOf = lib.db.prepare(`SELECT perceptual_hash FROM image WHERE sha256 = ?`).pluck();
    const hashes = manifest.map((m) => hashOf.get(m.source_sha256) as string);
    for (let i = 0; i < manifest.length; i++)
      for (let j = i + 1; j < manifest.length; j++)
        if (hammingDistanceHex(hashes[i]!, hashes[j]!) <= 10) expect(manifest[i]!.split).toBe(manifest[j]!.split);
    expect((job.result as { leakagePairs: number }).leakagePairs).toBe(0);
  });
});
