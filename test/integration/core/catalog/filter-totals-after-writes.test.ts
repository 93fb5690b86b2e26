// Filter totals carried across writes (filter-totals.ts): after each kind of write a curator's catalogue sees (a
// label decision, a re-score, an ingest, a deletion, a cluster change, a write to another table) every filter's
// total equals a brute-force count, with the checkpoints behind the label and cluster filters' totals repaired rather
// than walked again (image-column filters are counted plainly); and it is still right where they are rebuilt
// (another connection's commit, an overflowing log) or inside a transaction. Without the repair it fails at the first write.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageQuerySchema, type ImageQuery } from '../../../../src-shared/api/catalog';
import { openCatalog, type Db } from '../../../../src-main/core/catalog/database';
import { blankTotal, filterTotal, libraryTotal } from '../../../../src-main/core/catalog/filter-totals';
import { imageFilter } from '../../../../src-main/core/catalog/image-filters';
import { listImages } from '../../../../src-main/core/catalog/image-pages';
import { rankIndexFates, type RankIndexFate } from '../../../../src-main/core/catalog/listing-ranks';
import { LOG_ROWS } from '../../../../src-main/core/catalog/rank-changes';
import { addCluster, claimLabels, claimTwoSpecies, decide, insertImages } from '../../../fixtures/catalog-rows';
import { openTempCatalog } from '../../../fixtures/temp-library';

let catalog: ReturnType<typeof openTempCatalog>;
let db: Db;
let ids: number[];

/** Checkpoints every 3 index entries: a small catalogue then has many chunks for a write to land in. */
const STRIDE = 3;

beforeAll(() => {
  catalog = openTempCatalog();
  db = catalog.db;
  ids = insertImages(db, 'totals', 120);
  claimTwoSpecies(db, ids, (n) => n % 7 !== 0);
  claimLabels(
    db,
    ids.filter((_, n) => n % 29 === 2),
    'Boletus',
  );
  for (const id of ids.filter((_, n) => n % 20 === 5)) decide(db, id, 'Boletus edulis', 'curator');
  claimLabels(
    db,
    ids.filter((_, n) => n % 41 === 8),
    '',
  );
  db.prepare(`UPDATE image SET license = NULL WHERE id % 10 = 3`).run();
  db.prepare(`UPDATE image SET is_hq = 1 WHERE id % 4 = 1`).run();
  addCluster(
    db,
    ids.filter((_, n) => n % 11 === 1),
  );
});
afterAll(() => catalog?.cleanup());

type Query = Omit<ImageQuery, 'offset' | 'limit' | 'after' | 'sort' | 'order'>;

const filters: Query[] = [
  {},
  { labelState: 'source_claimed' },
  { labelState: 'human_verified' },
  { labelState: 'disputed' },
  { labelState: 'unlabelled' },
  { taxon: 'Boletus' },
  { taxon: 'Amanita muscaria' },
  { taxon: 'Boletus', labelState: 'human_verified' },
  { hasDuplicates: true },
  { hasDuplicates: false, labelState: 'source_claimed' },
  { hq: true },
  { minQuality: 40, maxQuality: 80 },
  { hasLicense: false },
  { license: 'CC-BY' },
  { taxon: 'Amanita', minQuality: 30 },
];
const queries = filters.flatMap((f) => (['asc', 'desc'] as const).map((order) => imageQuerySchema.parse({ ...f, order })));

function bruteForce(q: Parameters<typeof imageFilter>[0]): number {
  const filter = imageFilter(q);
  const where = filter.where.length ? `WHERE ${filter.where.join(' AND ')}` : '';
  return Number(db.prepare(`SELECT count(*) FROM image i LEFT JOIN label l ON l.image_id = i.id ${where}`).pluck().get(filter.params));
}

const blankByBruteForce = () =>
  Number(
    db
      .prepare(`SELECT count(*) FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE l.image_id IS NULL OR l.taxon = ''`)
      .pluck()
      .get(),
  );

/**
 * Checks every filter's total (its own small-stride checkpoints, and the grid page's) against a brute-force count,
 * and returns how the checkpoints behind the small-stride totals were found.
 */
function checkEveryTotal(): RankIndexFate[] {
  const before = rankIndexFates(db);
  for (const q of queries) {
    const want = bruteForce(q);
    expect(filterTotal(db, q, STRIDE), JSON.stringify(q)).toBe(want);
    expect(listImages(db, { ...q, limit: 1 }).total, `page of ${JSON.stringify(q)}`).toBe(want);
  }
  expect(libraryTotal(db)).toBe(bruteForce(imageQuerySchema.parse({})));
  expect(blankTotal(db, STRIDE)).toBe(blankByBruteForce());
  const after = rankIndexFates(db);
  return (['built', 'repaired'] as const).filter((fate) => after[fate] > before[fate]);
}

const someImage = (n: number) => Number(db.prepare(`SELECT id FROM image ORDER BY id LIMIT 1 OFFSET ?`).pluck().get(n));
const labelled = (taxon: string, n: number) =>
  Number(db.prepare(`SELECT image_id FROM label WHERE taxon = ? ORDER BY image_id LIMIT 1 OFFSET ?`).pluck().get(taxon, n));

const unlabelled = () =>
  Number(
    db.prepare(`SELECT i.id FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE l.image_id IS NULL ORDER BY i.id DESC`).pluck().get(),
  );

describe('filter totals across writes', () => {
  it('equal a brute-force count after each kind of write, from repaired checkpoints', () => {
    expect(checkEveryTotal()).toEqual(['built']);
    const writes: [string, () => void][] = [
      ['a label decision that changes the taxon', () => decide(db, labelled('Amanita muscaria', 4), 'Boletus edulis', 'curator')],
      ['a disputed label', () => decide(db, labelled('Boletus edulis', 6), 'Boletus edulis', 'curator', 'disputed')],
      ['a first label for an unlabelled image', () => claimLabels(db, [unlabelled()], 'Boletus luridus')],
      ['a label emptied', () => decide(db, labelled('Boletus', 0), '', 'curator')],
      ['a quality re-score across a range bound', () => db.prepare(`UPDATE image SET quality_score = 95 WHERE id = ?`).run(someImage(50))],
      ['a licence removed', () => db.prepare(`UPDATE image SET license = NULL WHERE id = ?`).run(someImage(12))],
      ['a high-quality flag', () => db.prepare(`UPDATE image SET is_hq = 1 - is_hq WHERE id = ?`).run(someImage(33))],
      [
        'an ingest appending images, some labelled',
        () => {
          const added = insertImages(db, 'appended', 10, 1000);
          claimLabels(
            db,
            added.filter((_, n) => n % 2 === 0),
            'Boletus edulis',
          );
        },
      ],
      ['a deleted image', () => db.prepare(`DELETE FROM image WHERE id = ?`).run(labelled('Boletus edulis', 2))],
      ['a removed label', () => db.prepare(`DELETE FROM label WHERE image_id = ?`).run(labelled('Amanita muscaria', 1))],
      ['a new cluster', () => addCluster(db, [someImage(5), someImage(90)])],
      ['a dissolved cluster', () => db.prepare(`DELETE FROM cluster WHERE id = (SELECT min(id) FROM cluster)`).run()],
      [
        'a sequence of writes between two pages',
        () => {
          const moved = someImage(20);
          db.prepare(`UPDATE image SET quality_score = 35, license = 'CC-BY-4.0' WHERE id = ?`).run(moved);
          decide(db, moved, 'Amanita citrina', 'curator');
          db.prepare(`DELETE FROM label WHERE image_id = ?`).run(someImage(21));
          db.prepare(`DELETE FROM image WHERE id = ?`).run(someImage(0));
          insertImages(db, 'late', 3, 2000);
        },
      ],
    ];
    for (const [what, write] of writes) {
      write();
      expect(checkEveryTotal(), what).toEqual(['repaired']);
    }
  });

  it('carries the totals unchanged past a write to a table no filter reads', () => {
    checkEveryTotal();
    db.prepare(`INSERT INTO setting (key, value) VALUES ('totals-test', '1') ON CONFLICT (key) DO UPDATE SET value = value || '1'`).run();
    expect(checkEveryTotal()).toEqual([]);
  });

  it('counts again when the log dropped rows written since the totals were read', () => {
    checkEveryTotal();
    const touch = db.prepare(`UPDATE image SET updated_at = updated_at`);
    for (let logged = 0; logged <= LOG_ROWS;) logged += touch.run().changes;
    decide(db, labelled('Boletus edulis', 1), 'Amanita muscaria', 'curator');
    expect(checkEveryTotal()).toEqual(['built']);
  });

  it("counts again after another connection's commit", () => {
    checkEveryTotal();
    const other = openCatalog(path.join(catalog.dir, 'catalog.db'));
    try {
      decide(other, labelled('Amanita muscaria', 3), 'Boletus', 'curator');
      other.prepare(`DELETE FROM image WHERE id = ?`).run(someImage(60));
    } finally {
      other.close();
    }
    expect(checkEveryTotal()).toEqual(['built']);
  });

  it('counts inside a transaction and carries the totals again after its rollback', () => {
    checkEveryTotal();
    expect(() =>
      db.transaction(() => {
        db.prepare(`DELETE FROM image WHERE id = ?`).run(someImage(15));
        claimLabels(db, [someImage(25)], 'Boletus zzz');
        checkEveryTotal();
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(checkEveryTotal()).toEqual([]);
    db.prepare(`UPDATE label SET state = 'disputed' WHERE image_id = ?`).run(labelled('Boletus edulis', 3));
    expect(checkEveryTotal()).toEqual(['repaired']);
  });
});
