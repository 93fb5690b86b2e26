// Ingest of the real photographs in ../shared/data: sidecar labels and licences, exact duplicates, HQ.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeLicense } from '../../../src-shared/licenses';
import type { Library } from '../../../src-main/core/library';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath } from '../../fixtures/shared-data';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';

interface SpeciesMetadata {
  scientific_name: string;
  images: { index: number; photographer: string; license_url: string; sha256: string; width: number; height: number }[];
}

if (!hasSharedData) console.warn(SHARED_DATA_SKIP_REASON);

describe.skipIf(!hasSharedData)('ingest of ../shared/data', () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  const species: Record<string, SpeciesMetadata> = {};

  beforeAll(async () => {
    const root = sharedDataPath('mushroom-observer');
    for (const code of readdirSync(root)) species[code] = JSON.parse(readFileSync(path.join(root, code, 'metadata.json'), 'utf8'));
    ({ lib, cleanup } = openTempLibrary());
    const job = await ingestAndWait(lib, [root, sharedDataPath('photos'), sharedDataPath('hq')]);
    expect(job.status).toBe('completed');
  }, 600_000);
  afterAll(() => cleanup?.());

  it('catalogues every mushroom photo once; byte-identical pairs become one image with two locations', async () => {
    const photos = Object.values(species).flatMap((s) => s.images);
    const identical = photos.length - new Set(photos.map((p) => p.sha256)).size;
    expect(identical).toBeGreaterThan(0);
    const files = photos.length + Object.keys(species).length; // every species folder also has thumb.webp
    const rows = lib.db
      .prepare(
        `SELECT count(DISTINCT i.id) AS images, count(*) AS locations FROM image i JOIN location l ON l.image_id = i.id WHERE l.path LIKE ?`,
      )
      .get(`${sharedDataPath('mushroom-observer')}%`) as { images: number; locations: number };
    expect(rows.locations).toBe(files);
    expect(rows.images).toBe(files - identical);
  });

  it('labels each photo with its species and each photo with its own licence and photographer', async () => {
    for (const [code, meta] of Object.entries(species)) {
      for (const image of meta.images) {
        const { id } = await lib.invoke('images.resolve', { ref: image.sha256 });
        const detail = await lib.invoke('images.get', { id });
        expect(detail.label?.taxon, code).toBe(meta.scientific_name.trim().replace(/\s+/g, ' '));
        expect(detail.label?.state).toBe('source_claimed');
        expect(detail.license, code).toBe(normalizeLicense(image.license_url).id);
        // A few records name no photographer: the catalogue says "unknown" (null), never an empty string.
        expect(detail.attribution).toBe(image.photographer.trim() || null);
        expect([detail.width, detail.height]).toEqual([image.width, image.height]);
      }
      const thumb = await lib.invoke('images.resolve', { ref: sharedDataPath('mushroom-observer', code, 'thumb.webp') });
      expect((await lib.invoke('images.get', { id: thumb.id })).label?.taxon).toBe(meta.scientific_name.trim().replace(/\s+/g, ' '));
    }
  });

  it('finds the licence mix the data README describes, including non-commercial ones', async () => {
    const licences = lib.db.prepare(`SELECT license, count(*) AS n FROM image WHERE license IS NOT NULL GROUP BY license`).all() as {
      license: string;
      n: number;
    }[];
    const ids = licences.map((l) => l.license);
    expect(ids).toContain('CC-BY-SA-3.0');
    expect(ids.some((id) => id.startsWith('CC-BY-NC-SA'))).toBe(true);
    expect(ids).not.toContain('UNKNOWN');
  });

  it('marks large sharp photographs as HQ and the 640 px ones as not HQ', async () => {
    const hq = await lib.invoke('images.list', { hq: true, limit: 100 });
    expect(hq.total).toBeGreaterThan(0);
    for (const image of hq.items) expect(Math.max(image.width, image.height)).toBeGreaterThanOrEqual(1600);
    const stats = await lib.invoke('stats.get', {});
    expect(stats.rejected).toEqual({ CORRUPT_IMAGE: 2, TOO_SMALL: 2 });
  });
});
