// images.neighbours: an image's previous and next are exactly its neighbours in the listing images.list gives,
// for every sort, order and filter, ties included; its position is its place there; an image that left the filter
// keeps neighbours at its place but has no position. images.licenses counts the licences present.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageNeighboursSchema, imageQuerySchema, type ImageQuery } from '../../../../src-shared/api/catalog';
import type { Db } from '../../../../src-main/core/catalog/database';
import { imageNeighbours } from '../../../../src-main/core/catalog/image-neighbours';
import { listImages } from '../../../../src-main/core/catalog/image-pages';
import { countLicenses } from '../../../../src-main/core/catalog/license-counts';
import { SporeprintError } from '../../../../src-main/core/errors';
import { claimTwoSpecies, insertImages } from '../../../fixtures/catalog-rows';
import { openTempCatalog } from '../../../fixtures/temp-library';

let catalog: ReturnType<typeof openTempCatalog>;
let db: Db;
let ids: number[];

beforeAll(() => {
  catalog = openTempCatalog();
  db = catalog.db;
  ids = insertImages(db, 'neighbours', 120);
  claimTwoSpecies(db, ids);
  // Two other licences and some images without one.
  db.prepare(`UPDATE image SET license = 'CC0-1.0' WHERE id % 10 = 1`).run();
  db.prepare(`UPDATE image SET license = NULL WHERE id % 10 = 2`).run();
});
afterAll(() => catalog?.cleanup());

type Query = Omit<ImageQuery, 'offset' | 'limit' | 'after' | 'ids'>;
const listing = (q: Query) => listImages(db, imageQuerySchema.parse({ ...q, limit: 1000 })).items.map((i) => i.id);
const neighbours = (q: Query, id: number) => imageNeighbours(db, imageNeighboursSchema.parse({ ...q, id }));

describe('images.neighbours', () => {
  const queries: Query[] = [];
  for (const sort of ['created', 'quality', 'taxon', 'size', 'resolution'] as const)
    for (const order of ['asc', 'desc'] as const) queries.push({ sort, order });
  queries.push({ sort: 'quality', labelState: 'source_claimed' }, { sort: 'taxon', order: 'asc', hasLicense: true }, { taxon: 'Boletus' });
  // The taxon order is counted in two parts (labelled images, unlabelled ones): each part filtered too.
  queries.push(
    { sort: 'taxon', order: 'desc', hasLicense: true },
    { sort: 'taxon', order: 'desc', labelState: 'source_claimed' },
    { sort: 'taxon', order: 'asc', labelState: 'unlabelled' },
  );

  for (const q of queries)
    it(`walks ${JSON.stringify(q)} exactly as the listing orders it`, () => {
      const order = listing(q);
      expect(order.length).toBeGreaterThan(20);
      // Every image of the listing: previous, next and position agree with the listing (quality and taxon have ties).
      order.forEach((id, i) => {
        expect(neighbours(q, id), `image ${id} at ${i}`).toEqual({
          previous: order[i - 1] ?? null,
          next: order[i + 1] ?? null,
          position: i + 1,
          total: order.length,
        });
      });
    });

  it('keeps the neighbours of an image that no longer matches the filter, without a position', () => {
    const q: Query = { sort: 'created', order: 'asc', taxon: 'Amanita' };
    const outside = ids[1]!; // a Boletus, between the first two Amanitas
    expect(neighbours(q, outside)).toEqual({ previous: ids[0], next: ids[3], position: null, total: listing(q).length });
  });

  it('refuses an image that does not exist, naming it', () => {
    expect(() => neighbours({}, 999_999)).toThrow(SporeprintError);
    expect(() => neighbours({}, 999_999)).toThrow(/no image with id 999999/);
  });
});

describe('images.licenses and the licence filters', () => {
  it('counts each licence present, most used first, and the images without one', () => {
    const counts = countLicenses(db);
    const expected = new Map<string | null, number>();
    for (const row of db.prepare(`SELECT license FROM image`).all() as { license: string | null }[])
      expected.set(row.license, (expected.get(row.license) ?? 0) + 1);
    expect(counts.missing).toBe(expected.get(null));
    expect(counts.missing).toBeGreaterThan(0);
    expect(counts.licenses.map((l) => l.license).sort()).toEqual(['CC-BY-SA-3.0', 'CC0-1.0']);
    for (const l of counts.licenses) expect(l.images).toBe(expected.get(l.license));
    expect(counts.licenses[0]!.images).toBeGreaterThanOrEqual(counts.licenses[1]!.images);
  });

  it('filters by each listed licence and by a missing one, the counts matching the listing totals', () => {
    const counts = countLicenses(db);
    for (const l of counts.licenses) expect(listing({ license: l.license }).length).toBe(l.images);
    expect(listing({ hasLicense: false }).length).toBe(counts.missing);
    expect(listing({ hasLicense: true }).length).toBe(ids.length - counts.missing);
  });

  it('counts again after the catalogue changed', () => {
    const before = countLicenses(db).missing;
    db.prepare(`UPDATE image SET license = NULL WHERE id = ?`).run(ids[0]);
    expect(countLicenses(db).missing).toBe(before + 1);
  });
});
