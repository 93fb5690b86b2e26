// fetch-hq and import-dwca over the real Mushroom Observer photographs in ../shared/data: real licences
// (including non-commercial ones), exact duplicates, thumbnails as near-duplicates, and hard negatives.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HQ_MIN_LONG_EDGE } from '../../../src-shared/defaults';
import { normalizeLicense } from '../../../src-shared/licenses';
import { writeDwcaFolder } from '../../fixtures/dwca-archive';
import { startFakeSources, type FakeSources, type FakeWorld } from '../../fixtures/fake-sources';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath } from '../../fixtures/shared-data';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const SPECIES = 16;

interface Species {
  code: string;
  name: string;
  photos: { file: string; sha256: string; license: string; photographer: string; width: number; height: number; bytes?: Buffer }[];
  /** The thumbnail as the fake source serves it. */
  thumb?: Buffer;
}

/**
 * fetch-hq never takes a photo below the HQ size, and Mushroom Observer's are 640 px: the fake source serves each
 * real photo (and its thumbnail, a square crop) enlarged to the HQ size, so licences, credits and duplicate
 * detection are exercised on real picture content. Byte-identical photos stay byte-identical.
 */
async function servedAtHqSize(species: Species[]): Promise<void> {
  const enlarge = (bytes: Buffer) =>
    sharp(bytes)
      .resize({ width: HQ_MIN_LONG_EDGE, height: HQ_MIN_LONG_EDGE, fit: 'inside' })
      .jpeg({ quality: 92 })
      .toBuffer({ resolveWithObject: true });
  for (const s of species) {
    for (const p of s.photos) {
      const { data, info } = await enlarge(readFileSync(p.file));
      Object.assign(p, { bytes: data, sha256: createHash('sha256').update(data).digest('hex'), width: info.width, height: info.height });
    }
    s.thumb = (await enlarge(readFileSync(sharedDataPath('mushroom-observer', s.code, 'thumb.webp')))).data;
  }
}

function loadSpecies(): Species[] {
  const root = sharedDataPath('mushroom-observer');
  const codes = readdirSync(root).sort().slice(0, SPECIES);
  return codes.map((code) => {
    const meta = JSON.parse(readFileSync(path.join(root, code, 'metadata.json'), 'utf8')) as {
      scientific_name: string;
      images: { index: number; license_url: string; photographer: string; sha256: string; width: number; height: number }[];
    };
    return {
      code,
      name: meta.scientific_name,
      photos: meta.images
        .filter((im) => existsSync(path.join(root, code, `image_${im.index}.webp`)))
        .map((im) => ({
          file: path.join(root, code, `image_${im.index}.webp`),
          sha256: im.sha256,
          license: im.license_url,
          photographer: im.photographer,
          width: im.width,
          height: im.height,
        })),
    };
  });
}

/** iNaturalist writes licences as codes (cc-by-sa); Mushroom Observer gives URLs. */
const inatCode = (licenseUrl: string) => `cc-${/licenses\/([a-z-]+)\//.exec(licenseUrl)![1]}`;
const ALLOWED = ['CC0', 'PD', 'CC-BY', 'CC-BY-SA'];
const allowed = (licenseUrl: string) => ALLOWED.includes(normalizeLicense(licenseUrl).family);

describe.skipIf(!hasSharedData)('sources over real photographs', () => {
  let species: Species[];
  let fake: FakeSources;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    species = loadSpecies();
    await servedAtHqSize(species);
    let photoId = 1;
    const world: FakeWorld = {
      inat: species.map((s, i) => ({
        id: 7000 + i,
        taxon: s.name,
        photos: [
          ...s.photos.map((p) => ({
            id: photoId++,
            bytes: p.bytes!,
            width: p.width,
            height: p.height,
            license: inatCode(p.license),
            attribution: p.photographer,
          })),
          // The thumbnail is a resized copy of one of the photos: fetch-hq must recognise it.
          {
            id: photoId++,
            bytes: s.thumb!,
            width: HQ_MIN_LONG_EDGE,
            height: HQ_MIN_LONG_EDGE,
            license: inatCode(s.photos[0]!.license),
            attribution: s.photos[0]!.photographer,
          },
        ],
      })),
      gbif: [],
      commons: [],
    };
    fake = await startFakeSources(world);
    cleanups.push(() => fake.server.close());
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('fetch-hq takes allowed licences only, with credits, and drops exact and near duplicates', async () => {
    const t = openTempLibrary(fake.env);
    cleanups.push(t.cleanup);
    const { jobId } = await t.lib.invoke('sources.fetchHq', { taxa: species.map((s) => s.name), sources: ['inat'], perTaxon: 5 });
    const job = await t.lib.waitForJob(jobId);
    expect(job.error).toBeNull();
    const db = t.lib.db;
    const rows = db.prepare(`SELECT url, taxon, status, license, attribution FROM source_fetch`).all() as {
      url: string;
      taxon: string;
      status: string;
      license: string;
    }[];
    // Non-commercial photos are never planned, let alone downloaded.
    expect(rows.filter((r) => !ALLOWED.some((a) => r.license === a || r.license.startsWith(`${a}-`)))).toEqual([]);
    const images = db
      .prepare(`SELECT i.sha256, i.license, i.attribution, l.taxon, l.state FROM image i JOIN label l ON l.image_id = i.id`)
      .all() as Record<string, string>[];
    let identicalPairs = 0;
    let thumbsChecked = 0;
    let thumbsCaught = 0;
    for (const s of species) {
      const ok = s.photos.filter((p) => allowed(p.license));
      const distinct = new Set(ok.map((p) => p.sha256));
      if (ok.length === 2 && distinct.size === 1) identicalPairs++;
      // (A thumbnail the perceptual hash misses arrives as an image of its own; it is counted below.)
      const mine = images.filter((im) => im.taxon === s.name && s.photos.some((p) => p.sha256 === im.sha256));
      // Every allowed, distinct photo arrives once: the two photos of a species are different (hard negatives).
      expect(new Set(mine.map((im) => im.sha256)), s.code).toEqual(distinct);
      for (const im of mine) {
        const p = ok.find((x) => x.sha256 === im.sha256)!;
        // iNaturalist licence codes carry no version (cc-by-sa), so the family is what arrives.
        expect(im).toMatchObject({ state: 'source_claimed', license: normalizeLicense(p.license).family, attribution: p.photographer });
      }
      const thumb = rows.find((r) => r.taxon === s.name && r.url.endsWith(`/${photoIdOfThumb(s)}/original.jpg`));
      if (thumb && ok.length > 0) {
        thumbsChecked++;
        if (thumb.status === 'near_duplicate') thumbsCaught++;
      }
    }
    expect(rows.filter((r) => r.status === 'duplicate')).toHaveLength(identicalPairs);
    // Thumbnails are square crops of one photo; the perceptual hash catches nearly all of them.
    expect(thumbsChecked).toBeGreaterThan(5);
    expect(thumbsCaught / thumbsChecked).toBeGreaterThanOrEqual(0.8);
    console.log(
      `real photos: ${images.length} ingested, ${identicalPairs} exact duplicates dropped, ${thumbsCaught}/${thumbsChecked} thumbnails caught as near-duplicates`,
    );

    function photoIdOfThumb(s: Species): number {
      const index = species.indexOf(s);
      return species.slice(0, index + 1).reduce((n, x) => n + x.photos.length + 1, 0);
    }
  });

  it('import-dwca reads an archive pointing at the real photos through --media-root', async () => {
    const t = openTempLibrary({});
    cleanups.push(t.cleanup);
    const tmp = makeTempDir('sporeprint-dwca-real-');
    cleanups.push(tmp.cleanup);
    const archive = writeDwcaFolder(tmp.dir, {
      occurrences: species.map((s) => ({ id: `mo:${s.code}`, scientificName: s.name, taxonRank: 'species' })),
      multimedia: species.flatMap((s) =>
        s.photos.map((p) => ({
          coreId: `mo:${s.code}`,
          reference: path.relative(sharedDataPath('mushroom-observer'), p.file),
          license: p.license,
          creator: p.photographer,
          format: 'image/webp',
        })),
      ),
      audubon: [],
      files: {},
    });
    const { jobId } = await t.lib.invoke('sources.importDwca', { path: archive, mediaRoot: sharedDataPath('mushroom-observer') });
    const job = await t.lib.waitForJob(jobId);
    expect(job.error).toBeNull();
    const total = species.reduce((n, s) => n + s.photos.length, 0);
    expect(job.result).toMatchObject({ occurrences: SPECIES, mediaRecords: total, local: total, missing: 0 });
    const labelled = t.lib.db
      .prepare(`SELECT l.taxon, i.license, i.observation_group FROM image i JOIN label l ON l.image_id = i.id ORDER BY l.taxon`)
      .all() as { taxon: string; license: string; observation_group: string }[];
    expect(new Set(labelled.map((r) => r.taxon))).toEqual(new Set(species.map((s) => s.name)));
    // Licences keep their real variety, non-commercial ones included (the export applies the allow-list).
    expect(labelled.every((r) => r.license.startsWith('CC-BY'))).toBe(true);
    for (const r of labelled) expect(r.observation_group).toBe(`dwca:mo:${species.find((s) => s.name === r.taxon)!.code}`);
  });
});

if (!hasSharedData) console.log(SHARED_DATA_SKIP_REASON);
