// Rank checkpoints carried across writes (listing-ranks.ts, rank-changes.ts, rank-repair.ts): after each kind of
// write a curator's catalogue sees (a label decision, a new label, a quality re-score, an ingest appending images, a
// deletion, a cluster change) every image's place still equals its place in a brute-force listing, for every sort,
// order and filter, with the checkpoints repaired rather than walked again; and they are rebuilt when the change log
// cannot tell what changed (another connection's commit, more writes than it keeps), or inside a transaction.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageNeighboursSchema, imageQuerySchema } from '../../../../src-shared/api/catalog';
import { openCatalog, type Db } from '../../../../src-main/core/catalog/database';
import { listImages } from '../../../../src-main/core/catalog/image-pages';
import { positionInListing } from '../../../../src-main/core/catalog/image-positions';
import { rankIndexFates, type RankIndexFate } from '../../../../src-main/core/catalog/listing-ranks';
import { LOG_ROWS } from '../../../../src-main/core/catalog/rank-changes';
import { addCluster, claimLabels, claimTwoSpecies, decide, insertImages, varyListingKeys } from '../../../fixtures/catalog-rows';
import { bruteForceListing, type ListingQuery } from '../../../fixtures/listing-order';
import { openTempCatalog } from '../../../fixtures/temp-library';

let catalog: ReturnType<typeof openTempCatalog>;
let db: Db;
let ids: number[];

/** Checkpoints every 3 index entries: a small catalogue then has many chunks for a write to land in. */
const STRIDE = 3;

beforeAll(() => {
  catalog = openTempCatalog();
  db = catalog.db;
  ids = insertImages(db, 'carried', 150);
  claimTwoSpecies(db, ids, (n) => n % 7 !== 0);
  for (const id of ids.filter((_, n) => n % 20 === 5)) decide(db, id, 'Boletus edulis', 'curator');
  claimLabels(
    db,
    ids.filter((_, n) => n % 41 === 2),
    '',
  );
  varyListingKeys(db);
  addCluster(
    db,
    ids.filter((id, n) => n % 11 === 1 && id % 17 !== 4),
  );
});
afterAll(() => catalog?.cleanup());

type Query = ListingQuery;

/** The listing by brute force (one ORDER BY over the key and the id). */
const bruteForce = (q: Query) => bruteForceListing(db, q);

const position = (q: Query, key: number | string, id: number) => {
  const total = listImages(db, imageQuerySchema.parse({ ...q, limit: 1 })).total;
  return positionInListing(db, imageNeighboursSchema.parse({ ...q, id }), key, id, total, STRIDE);
};

const filters: Query[] = [
  {},
  { labelState: 'source_claimed' },
  { labelState: 'unlabelled' },
  { taxon: 'Boletus' },
  { hasDuplicates: true },
];
const queries: Query[] = (['created', 'quality', 'taxon', 'size', 'resolution'] as const).flatMap((sort) =>
  (['asc', 'desc'] as const).flatMap((order) => filters.map((f) => ({ ...f, sort, order }))),
);

/**
 * Asks every image's place in every listing, checking each against the brute-force one, and returns how the
 * checkpoints were found (each listing's first place finds them repaired, rebuilt or unchanged; later ones unchanged).
 */
function checkEveryPlace(): RankIndexFate[] {
  const before = rankIndexFates(db);
  for (const q of queries)
    bruteForce(q).forEach((row, i) => expect(position(q, row.key, row.id), `${JSON.stringify(q)} image ${row.id}`).toBe(i + 1));
  const after = rankIndexFates(db);
  return (['built', 'repaired'] as const).filter((fate) => after[fate] > before[fate]);
}

const someImage = (n: number) => bruteForce({ sort: 'created', order: 'asc' })[n]!.id;

describe('rank checkpoints across writes', () => {
  it('places every image as a brute-force listing does after each kind of write, repairing the checkpoints', () => {
    expect(checkEveryPlace()).toEqual(['built']);
    const writes: [string, () => void][] = [
      ['a label decision that changes the taxon', () => decide(db, someImage(40), 'Amanita muscaria', 'curator')],
      ['a disputed label', () => decide(db, someImage(70), 'Boletus edulis', 'curator', 'disputed')],
      ['a first label for an unlabelled image', () => claimLabels(db, [bruteForce({ labelState: 'unlabelled' }).at(-1)!.id], 'Aaa first')],
      ['a quality re-score', () => db.prepare(`UPDATE image SET quality_score = 99.5 WHERE id = ?`).run(someImage(90))],
      ['a re-score to a tied key', () => db.prepare(`UPDATE image SET quality_score = 21 WHERE id = ?`).run(someImage(3))],
      [
        'an ingest appending images, some labelled',
        () => {
          const added = insertImages(db, 'appended', 12, 1000);
          db.prepare(`UPDATE image SET file_size = 5000 + id % 13 WHERE id >= ?`).run(added[0]);
          claimLabels(
            db,
            added.filter((_, n) => n % 2 === 0),
            'Boletus edulis',
          );
        },
      ],
      ['a deleted image', () => db.prepare(`DELETE FROM image WHERE id = ?`).run(someImage(60))],
      ['a removed label', () => db.prepare(`DELETE FROM label WHERE image_id = ?`).run(bruteForce({ taxon: 'Boletus' })[5]!.id)],
      ['a new cluster', () => addCluster(db, [someImage(10), someImage(100)])],
      ['a dissolved cluster', () => db.prepare(`DELETE FROM cluster WHERE id = (SELECT min(id) FROM cluster)`).run()],
      [
        'a sequence of writes between two steps',
        () => {
          const moved = someImage(20);
          db.prepare(`UPDATE image SET quality_score = 1, width = 2000 WHERE id = ?`).run(moved);
          decide(db, moved, 'Cortinarius', 'curator');
          db.prepare(`DELETE FROM label WHERE image_id = ?`).run(moved);
          db.prepare(`DELETE FROM image WHERE id = ?`).run(someImage(0));
          insertImages(db, 'late', 3, 2000);
        },
      ],
    ];
    for (const [what, write] of writes) {
      write();
      const fates = checkEveryPlace();
      expect(fates, what).toEqual(['repaired']);
    }
  });

  it('carries the checkpoints unchanged past a write to a table no listing reads', () => {
    checkEveryPlace();
    db.prepare(`INSERT INTO setting (key, value) VALUES ('rank-test', '1') ON CONFLICT (key) DO UPDATE SET value = value || '1'`).run();
    expect(checkEveryPlace()).toEqual([]);
  });

  it('rebuilds the checkpoints when the log dropped rows written since they were used', () => {
    checkEveryPlace();
    const touch = db.prepare(`UPDATE image SET updated_at = updated_at`);
    for (let logged = 0; logged <= LOG_ROWS;) logged += touch.run().changes;
    db.prepare(`UPDATE image SET quality_score = 3 WHERE id = ?`).run(someImage(30));
    expect(checkEveryPlace()).toEqual(['built']);
  });

  it("rebuilds the checkpoints after another connection's commit", () => {
    checkEveryPlace();
    const other = openCatalog(path.join(catalog.dir, 'catalog.db'));
    try {
      decide(other, someImage(50), 'Russula', 'curator');
      other.prepare(`UPDATE image SET quality_score = 77 WHERE id = ?`).run(someImage(80));
    } finally {
      other.close();
    }
    expect(checkEveryPlace()).toEqual(['built']);
  });

  it('places images inside a transaction and again after its rollback', () => {
    checkEveryPlace();
    expect(() =>
      db.transaction(() => {
        db.prepare(`DELETE FROM image WHERE id = ?`).run(someImage(15));
        claimLabels(db, [someImage(25)], 'Zzz last');
        expect(checkEveryPlace()).toEqual(['built']);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(checkEveryPlace()).toEqual([]);
    db.prepare(`UPDATE image SET quality_score = 50 WHERE id = ?`).run(someImage(35));
    expect(checkEveryPlace()).toEqual(['repaired']);
  });
});
