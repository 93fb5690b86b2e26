// An image's place in a filtered, sorted listing from rank checkpoints (image-positions.ts, listing-ranks.ts)
// equals its place in a brute-force listing (one plain SQL sort of every match), for every image, sort, order and
// filter, with tied keys, gaps in the ids and images whose taxon is empty, at checkpoint spacings that put many
// checkpoints (and many ties across them) into a small catalogue; and again after the catalogue changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageNeighboursSchema, imageQuerySchema } from '../../../../src-shared/api/catalog';
import type { Db } from '../../../../src-main/core/catalog/database';
import { listImages } from '../../../../src-main/core/catalog/image-pages';
import { positionInListing } from '../../../../src-main/core/catalog/image-positions';
import { claimLabels, claimTwoSpecies, decide, insertImages, varyListingKeys } from '../../../fixtures/catalog-rows';
import { bruteForceListing, type ListingQuery } from '../../../fixtures/listing-order';
import { openTempCatalog } from '../../../fixtures/temp-library';

let catalog: ReturnType<typeof openTempCatalog>;
let db: Db;

beforeAll(() => {
  catalog = openTempCatalog();
  db = catalog.db;
  const ids = insertImages(db, 'positions', 300);
  claimTwoSpecies(db, ids, (n) => n % 7 !== 0);
  for (const id of ids.filter((_, n) => n % 50 === 5)) decide(db, id, 'Boletus edulis', 'curator');
  // An empty taxon sorts with the unlabelled images (key '').
  claimLabels(
    db,
    ids.filter((_, n) => n % 41 === 2),
    '',
  );
  varyListingKeys(db);
});
afterAll(() => catalog?.cleanup());

type Query = ListingQuery;

/** The listing by brute force (one ORDER BY over the key and the id). */
const bruteForce = (q: Query) => bruteForceListing(db, q);

/** The same listing as images.list pages it (the Detail view's steps walk these pages' order). */
const listed = (q: Query) => listImages(db, imageQuerySchema.parse({ ...q, limit: 1000 })).items.map((i) => i.id);

/** The place, given the filter's count as images.list gives it (as images.neighbours does). */
const position = (q: Query, key: number | string, id: number, stride?: number) => {
  const total = listImages(db, imageQuerySchema.parse({ ...q, limit: 1 })).total;
  return positionInListing(db, imageNeighboursSchema.parse({ ...q, id }), key, id, total, stride);
};

const filters: Query[] = [
  {},
  { labelState: 'source_claimed' },
  { labelState: 'human_verified' },
  { labelState: 'unlabelled' },
  { taxon: 'Boletus' },
  { hasLicense: true },
  { minQuality: 30, hasLicense: false },
];

describe('positionInListing', () => {
  for (const sort of ['created', 'quality', 'taxon', 'size', 'resolution'] as const)
    it(`places every match of every filter as a brute-force listing sorted by ${sort} does`, () => {
      for (const f of filters)
        for (const order of ['asc', 'desc'] as const)
          for (const stride of [2, 7, 1024]) {
            const q = { ...f, sort, order };
            const listing = bruteForce(q);
            if (stride === 2) expect(listed(q), JSON.stringify(q)).toEqual(listing.map((r) => r.id));
            // Checkpoints are added as deeper places are asked: in listing order (one more at a time), and from the
            // deepest first (all at once, then every place inside them).
            const places = [...listing.keys()];
            for (const i of stride === 7 ? places.reverse() : places) {
              const row = listing[i]!;
              expect(position(q, row.key, row.id, stride), `${JSON.stringify(q)} stride ${stride} image ${row.id}`).toBe(i + 1);
            }
          }
    });

  it('places images again after the catalogue changed (the checkpoints belong to one catalogue version)', () => {
    const q: Query = { sort: 'taxon', order: 'asc', labelState: 'source_claimed' };
    const before = bruteForce(q);
    const last = before.at(-1)!;
    expect(position(q, last.key, last.id, 3)).toBe(before.length);
    // Three images leave the filter ahead of the last one, and one unlabelled image joins it ahead of every taxon.
    for (const row of before.slice(0, 3)) decide(db, row.id, String(row.key), 'curator');
    const unlabelled = bruteForce({ labelState: 'unlabelled' })[0]!.id;
    claimLabels(db, [unlabelled], 'Aaa first');
    const after = bruteForce(q);
    expect(after.length).toBe(before.length - 2);
    expect(after.find((r) => r.key !== '')!.id).toBe(unlabelled);
    after.forEach((row, i) => expect(position(q, row.key, row.id, 3)).toBe(i + 1));
  });
});
