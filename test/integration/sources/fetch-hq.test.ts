// fetch-hq end to end against loopback iNaturalist/GBIF/Commons: licence filtering, dedupe against the
// catalogue (URL, SHA-256, perceptual hash), faults, truncated downloads, dry run, and labels with credits.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../src-main/core/library';
import { startFakeSources, type FakeSources, type FakeWorld } from '../../fixtures/fake-sources';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const TAXON = 'Amanita muscaria';
let fake: FakeSources;
let world: FakeWorld;
let local: { dir: string; cleanup: () => void };
const cleanups: (() => Promise<void> | void)[] = [];

/** Every file under a folder, recursively (to prove no partial download is left behind). */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

beforeAll(async () => {
  const photo = (seed: number) => makePhoto(seed, { width: 1800, height: 1350 });
  const [p1, p2, pNc, pKnown, pNearOriginal, pCommons, pGbif, pGbifNoLicence] = await Promise.all([
    photo(11),
    photo(12),
    photo(13),
    photo(14),
    photo(15),
    photo(16),
    photo(17),
    photo(18),
  ]);
  // iNaturalist did not measure it (no original_dimensions): only the download shows it is below the HQ size.
  const pSmall = await makePhoto(19, { width: 1024, height: 768 });
  // A re-encoded, resized copy of an image the catalogue already has: a near-duplicate, not a SHA match.
  const pNear = await sharp(pNearOriginal).resize(1700).jpeg({ quality: 80 }).toBuffer();
  world = {
    inat: [
      {
        id: 1,
        taxon: TAXON,
        photos: [
          { id: 101, bytes: p1, width: 1800, height: 1350, license: 'cc-by', attribution: '(c) Ada, some rights reserved (CC BY)' },
          { id: 102, bytes: p2, width: 1800, height: 1350, license: 'cc-by', attribution: '(c) Ada, some rights reserved (CC BY)' },
        ],
      },
      { id: 2, taxon: TAXON, photos: [{ id: 201, bytes: pNc, width: 1800, height: 1350, license: 'cc-by-nc' }] },
      { id: 3, taxon: TAXON, photos: [{ id: 301, bytes: pKnown, width: 1800, height: 1350, license: 'cc0' }] },
      { id: 4, taxon: TAXON, photos: [{ id: 401, bytes: pSmall, width: 1024, height: 768, license: 'cc-by', omitDimensions: true }] },
    ],
    gbif: [
      {
        key: 77,
        taxon: TAXON,
        license: 'http://creativecommons.org/licenses/by/4.0/legalcode',
        // GBIF: the record's licence covers its data; each medium has its own (or none: licence unknown).
        media: [
          { id: 1, bytes: pNear, rightsHolder: 'Fungarium', license: 'http://creativecommons.org/licenses/by/4.0/legalcode' },
          { id: 2, bytes: pGbif, creator: 'Gus', license: 'CC_BY_4_0' },
          { id: 3, bytes: pGbifNoLicence, creator: 'Nobody' },
        ],
      },
    ],
    commons: [
      {
        name: 'Amanita_muscaria_1.jpg',
        taxon: TAXON,
        bytes: pCommons,
        width: 1800,
        height: 1350,
        license: 'CC BY-SA 4.0',
        artistHtml: '<a href="x">Cleo</a>',
        attributionHtml: 'Cleo Example / <a href="y">Fungi of Europe</a>',
      },
    ],
  };
  fake = await startFakeSources(world);
  local = makeTempDir('sporeprint-fetch-local-');
  const folder = path.join(local.dir, TAXON);
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'known.jpg'), pKnown);
  writeFileSync(path.join(folder, 'near-original.jpg'), pNearOriginal);
  cleanups.push(() => fake.server.close(), local.cleanup);
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function open(): Promise<Library> {
  const t = openTempLibrary(fake.env);
  cleanups.push(t.cleanup);
  return t.lib;
}

const photoRequests = () =>
  fake.server.requests.filter((r) => /^\/(inat-photos|gbif-media|commons-files)\//.test(r.path)).map((r) => r.path);

describe('fetch-hq', () => {
  let lib: Library;
  let result: Record<string, unknown>;

  beforeAll(async () => {
    lib = await open();
    const ingest = await ingestAndWait(lib, [path.join(local.dir, TAXON)]);
    expect(ingest.status).toBe('completed');
    fake.server.requests.length = 0;
    // Faults the client must ride out: a rate limit, a server error, and a commons file that is always cut off.
    fake.server.fault('/inat/v1/observations', { kind: 'status', status: 429, retryAfter: '1' });
    fake.server.fault('/gbif/v1/occurrence/search', { kind: 'status', status: 500 });
    fake.server.fault(fake.commonsFilePath('Amanita_muscaria_1.jpg'), { kind: 'truncate' }, { kind: 'truncate' }, { kind: 'truncate' });
    const { jobId } = await lib.invoke('sources.fetchHq', { taxa: [TAXON], perTaxon: 10 });
    const job = await lib.waitForJob(jobId);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    result = job.result!;
  });

  it('ingests the allowed, new photos with source claims, licence, attribution, URL and observation group', () => {
    // rejected: the unmeasured iNaturalist photo turned out 1024 px, below the HQ size.
    expect(result).toMatchObject({ taxa: 1, ingested: 3, duplicates: 1, nearDuplicates: 1, failed: 1, rejected: 1 });
    const rows = lib.db
      .prepare(
        `SELECT i.source_url, i.license, i.attribution, i.observation_group, l.taxon, l.rank, l.state, l.evidence_json
         FROM image i JOIN label l ON l.image_id = i.id WHERE i.source_url IS NOT NULL ORDER BY i.source_url`,
      )
      .all() as Record<string, string>[];
    expect(rows.map((r) => r.source_url)).toEqual([
      `${fake.server.url}/gbif-media/2.jpg`,
      `${fake.server.url}/inat-photos/101/original.jpg`,
      `${fake.server.url}/inat-photos/102/original.jpg`,
    ]);
    for (const r of rows) expect(r).toMatchObject({ taxon: TAXON, rank: 'species', state: 'source_claimed' });
    const [gbif, inat1, inat2] = rows;
    expect(gbif).toMatchObject({ license: 'CC-BY-4.0', attribution: 'Gus', observation_group: 'gbif:77' });
    expect(JSON.parse(gbif!.evidence_json!)).toEqual({ source: 'gbif:https://www.gbif.org/occurrence/77' });
    expect(inat1).toMatchObject({ license: 'CC-BY', attribution: '(c) Ada, some rights reserved (CC BY)', observation_group: 'inat:1' });
    // Photos of one observation share its group (export keeps them in one split).
    expect(inat2!.observation_group).toBe(inat1!.observation_group);
  });

  it('never downloads a disallowed licence, nor a GBIF medium without its own licence', () => {
    expect(photoRequests()).not.toContain(fake.inatPhotoPath(201));
    expect(lib.db.prepare(`SELECT count(*) FROM source_fetch WHERE url LIKE '%/201/%'`).pluck().get()).toBe(0);
    expect(photoRequests()).not.toContain(fake.gbifMediaPath(3));
    expect(lib.db.prepare(`SELECT count(*) FROM source_fetch WHERE url LIKE '%/gbif-media/3.jpg'`).pluck().get()).toBe(0);
  });

  it('refuses for good a download that turns out below the HQ size', () => {
    const url = `${fake.server.url}${fake.inatPhotoPath(401)}`;
    expect(lib.db.prepare(`SELECT status, detail FROM source_fetch WHERE url = ?`).get(url)).toEqual({
      status: 'rejected',
      detail: 'below the HQ size: long edge 1024 px < 1600 px',
    });
    expect(lib.db.prepare(`SELECT count(*) FROM image WHERE source_url = ?`).pluck().get(url)).toBe(0);
  });

  it('drops SHA-256 and perceptual duplicates of catalogued images, and keeps their files out', () => {
    const outcome = (url: string) =>
      lib.db.prepare(`SELECT status, image_id FROM source_fetch WHERE url = ?`).get(url) as { status: string; image_id: number };
    const known = lib.db
      .prepare(`SELECT i.id FROM image i JOIN location l ON l.image_id = i.id WHERE l.path LIKE '%known.jpg'`)
      .pluck()
      .get();
    const nearOriginal = lib.db
      .prepare(`SELECT i.id FROM image i JOIN location l ON l.image_id = i.id WHERE l.path LIKE '%near-original.jpg'`)
      .pluck()
      .get();
    expect(outcome(`${fake.server.url}${fake.inatPhotoPath(301)}`)).toEqual({ status: 'duplicate', image_id: known });
    expect(outcome(`${fake.server.url}${fake.gbifMediaPath(1)}`)).toEqual({ status: 'near_duplicate', image_id: nearOriginal });
    expect(lib.db.prepare(`SELECT count(*) FROM image`).pluck().get()).toBe(5);
  });

  it('keeps a truncated download out of the catalogue and off the disk', () => {
    const url = `${fake.server.url}${fake.commonsFilePath('Amanita_muscaria_1.jpg')}`;
    const row = lib.db.prepare(`SELECT status, detail FROM source_fetch WHERE url = ?`).get(url) as { status: string; detail: string };
    expect(row.status).toBe('failed');
    expect(row.detail).toMatch(/truncated|terminated|closed/i);
    expect(lib.db.prepare(`SELECT count(*) FROM image WHERE source_url = ?`).pluck().get(url)).toBe(0);
    const files = walk(path.join(lib.dir, 'originals'));
    expect(files.filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(files).toHaveLength(3);
    expect(
      files.every((f) => f.includes(path.join('originals', 'inat', 'Amanita_muscaria')) || f.includes(path.join('originals', 'gbif'))),
    ).toBe(true);
  });

  it('rode out the 429 and the 500, identifying itself', () => {
    const searches = fake.server.requests.filter((r) => r.path === '/inat/v1/observations');
    expect(searches.length).toBeGreaterThanOrEqual(2);
    // Retry-After: 1 (not the 20 ms backoff); receipt times jitter under load, hence the margin.
    expect(searches[1]!.at - searches[0]!.at).toBeGreaterThanOrEqual(800);
    expect(fake.server.requests.filter((r) => r.path === '/gbif/v1/occurrence/search').length).toBeGreaterThanOrEqual(2);
    expect(fake.server.requests.every((r) => /^Sporeprint\/\S+ \(/.test(r.userAgent ?? ''))).toBe(true);
  });

  it('downloads nothing again on a second run; a failed download waits out its back-off, then is retried', async () => {
    fake.server.requests.length = 0;
    const commonsUrl = `${fake.server.url}${fake.commonsFilePath('Amanita_muscaria_1.jpg')}`;
    const failed = lib.db.prepare(`SELECT attempts, retry_after FROM source_fetch WHERE url = ?`).get(commonsUrl) as {
      attempts: number;
      retry_after: string;
    };
    expect(failed.attempts).toBe(1);
    expect(Date.parse(failed.retry_after) - Date.now()).toBeGreaterThan(50 * 60_000);
    let job = await lib.waitForJob((await lib.invoke('sources.fetchHq', { taxa: [TAXON], perTaxon: 10 })).jobId);
    expect(job.status).toBe('completed');
    // Nothing taken, refused, too small or failed-and-waiting is fetched again (not even the 1024 px photo).
    expect(photoRequests()).toEqual([]);
    expect(job.result).toMatchObject({ ingested: 0, planned: 0 });
    // Once the back-off has passed, the failed file is tried again, and taken with the credit its author asks for.
    lib.db.prepare(`UPDATE source_fetch SET retry_after = '2000-01-01T00:00:00.000Z' WHERE url = ?`).run(commonsUrl);
    job = await lib.waitForJob((await lib.invoke('sources.fetchHq', { taxa: [TAXON], perTaxon: 10 })).jobId);
    expect(photoRequests()).toEqual([fake.commonsFilePath('Amanita_muscaria_1.jpg')]);
    expect(job.result).toMatchObject({ ingested: 1, planned: 1 });
    expect(lib.db.prepare(`SELECT count(*) FROM image`).pluck().get()).toBe(6);
    expect(lib.db.prepare(`SELECT license, attribution FROM image WHERE source_url = ?`).get(commonsUrl)).toEqual({
      license: 'CC-BY-SA-4.0',
      attribution: 'Cleo Example / Fungi of Europe',
    });
  });

  it('lists taxa lacking HQ images', async () => {
    const missing = await lib.invoke('sources.missingHq', { perTaxon: 50 });
    expect(missing).toEqual([{ taxon: TAXON, hq: expect.any(Number), images: 6 }]);
    expect(await lib.invoke('sources.missingHq', { perTaxon: 1 })).toEqual(missing[0]!.hq >= 1 ? [] : [{ taxon: TAXON, hq: 0, images: 6 }]);
  });
});

describe('fetch-hq --dry-run', () => {
  it('lists what it would fetch without downloading or recording anything', async () => {
    const lib = await open();
    fake.server.requests.length = 0;
    const { jobId } = await lib.invoke('sources.fetchHq', { taxa: [TAXON], perTaxon: 2, dryRun: true, sources: ['inat', 'commons'] });
    const job = await lib.waitForJob(jobId);
    expect(job.status).toBe('completed');
    const candidates = job.result!.candidates as { url: string; source: string; license: string }[];
    expect(candidates).toHaveLength(2);
    expect(candidates.every((c) => c.license !== 'CC-BY-NC')).toBe(true);
    expect(photoRequests()).toEqual([]);
    expect(lib.db.prepare(`SELECT count(*) FROM source_fetch`).pluck().get()).toBe(0);
    expect(walk(path.join(lib.dir, 'originals'))).toEqual([]);
  });

  it('stops planning at --limit', async () => {
    const lib = await open();
    const { jobId } = await lib.invoke('sources.fetchHq', { taxa: [TAXON, 'Boletus edulis'], perTaxon: 5, limit: 1, dryRun: true });
    const job = await lib.waitForJob(jobId);
    expect(job.result).toMatchObject({ taxa: 2, planned: 1 });
    expect(job.result!.candidates).toHaveLength(1);
  });

  it('refuses a request that names no taxa', async () => {
    const lib = await open();
    await expect(lib.invoke('sources.fetchHq', {})).rejects.toThrow(/name the taxa/);
  });
});

describe('fetch-hq --missing-hq with an unreachable source', () => {
  it('fills from the working sources, rides out a stalled answer, and reports the failing source', async () => {
    const t = openTempLibrary({
      ...fake.env,
      COMMONS_API_URL: `${fake.server.url}/down/api.php`,
      SOURCE_BREAKER_THRESHOLD: '1',
      SOURCE_TIMEOUT_MS: '1500',
    });
    cleanups.push(t.cleanup);
    await ingestAndWait(t.lib, [path.join(local.dir, TAXON)]);
    fake.server.fault('/down/api.php', ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503 })));
    // A stalled answer is abandoned after SOURCE_TIMEOUT_MS and asked again.
    fake.server.fault('/gbif/v1/species/match', { kind: 'slow', delayMs: 30_000 });
    const matchesBefore = fake.server.requests.filter((r) => r.path === '/gbif/v1/species/match').length;
    const { jobId } = await t.lib.invoke('sources.fetchHq', { missingHq: true, perTaxon: 10 });
    const job = await t.lib.waitForJob(jobId);
    expect(job.status).toBe('completed');
    expect((job.result!.sourceErrors as Record<string, string>).commons).toMatch(/Wikimedia Commons: HTTP 503/);
    expect(job.result!.ingested).toBe(3);
    expect(fake.server.requests.filter((r) => r.path === '/gbif/v1/species/match').length - matchesBefore).toBeGreaterThanOrEqual(2);
  });
});
