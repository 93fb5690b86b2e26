// images.list pages by keyset: walking a filtered, sorted listing cursor by cursor gives exactly the rows the
// offset pages give, ties included, for every sort and order; the total is counted once per catalogue change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageQuerySchema, type ImageQuery } from '../../../../src-shared/api/catalog';
import type { Db } from '../../../../src-main/core/catalog/database';
import { imageFilter } from '../../../../src-main/core/catalog/image-filters';
import { listImages } from '../../../../src-main/core/catalog/image-pages';
import { getImageDetail } from '../../../../src-main/core/catalog/image-queries';
import { taxonPageStatement } from '../../../../src-main/core/catalog/taxon-pages';
import { claimTwoSpecies, decide, insertImages } from '../../../fixtures/catalog-rows';
import { openTempCatalog } from '../../../fixtures/temp-library';

let catalog: ReturnType<typeof openTempCatalog>;
let db: Db;

beforeAll(() => {
  catalog = openTempCatalog();
  db = catalog.db;
  const ids = insertImages(db, 'pages', 500);
  // Quality repeats every 100 images and sizes are distinct: both tie-breaking and plain keys are exercised.
  claimTwoSpecies(db, ids);
});
afterAll(() => catalog?.cleanup());

const list = (q: ImageQuery) => listImages(db, imageQuerySchema.parse(q));

function walkByCursor(q: ImageQuery, limit: number): number[] {
  const ids: number[] = [];
  let page = list({ ...q, limit });
  ids.push(...page.items.map((i) => i.id));
  while (page.next) {
    page = list({ ...q, limit, after: page.next });
    ids.push(...page.items.map((i) => i.id));
  }
  return ids;
}

describe('images.list keyset pages', () => {
  const sorts = ['created', 'quality', 'taxon', 'size', 'resolution'] as const;
  for (const sort of sorts)
    for (const order of ['asc', 'desc'] as const)
      it(`walks ${sort} ${order} by cursor exactly as one big page lists it`, () => {
        const q: ImageQuery = { sort, order, minQuality: 20 };
        const all = list({ ...q, limit: 1000 });
        expect(all.total).toBe(all.items.length);
        expect(all.items.length).toBeGreaterThan(300);
        expect(walkByCursor(q, 37)).toEqual(all.items.map((i) => i.id));
        // Each page by cursor is the page at the same offset.
        let page = list({ ...q, limit: 37 });
        for (let k = 1; k <= 3; k++) {
          page = list({ ...q, limit: 37, after: page.next! });
          expect(page.items.map((i) => i.id)).toEqual(list({ ...q, offset: 37 * k, limit: 37 }).items.map((i) => i.id));
        }
      });

  it('walks a label filter with unlabelled images sorted by taxon', () => {
    const q: ImageQuery = { sort: 'taxon', order: 'asc' };
    const all = list({ ...q, limit: 1000 });
    expect(walkByCursor(q, 50)).toEqual(all.items.map((i) => i.id));
    expect(all.items[0]!.taxon).toBeNull();
    expect(all.items.at(-1)!.taxon).toBe('Boletus edulis');
    expect(walkByCursor({ labelState: 'source_claimed', sort: 'quality' }, 64)).toEqual(
      list({ labelState: 'source_claimed', sort: 'quality', limit: 1000 }).items.map((i) => i.id),
    );
  });

  it('walks a rare label filter (driven by the label index) and a common one (by the sort index) alike', () => {
    for (const id of [3, 40, 41, 200, 333, 499]) decide(db, id, 'Russula emetica', 'curator');
    for (const q of [
      { labelState: 'human_verified', sort: 'quality' },
      { labelState: 'human_verified', sort: 'created', order: 'asc' },
      { taxon: 'Boletus', sort: 'size' },
    ] as ImageQuery[]) {
      const all = list({ ...q, limit: 1000 }).items.map((i) => i.id);
      expect(all.length).toBeGreaterThan(0);
      expect(walkByCursor(q, 4)).toEqual(all);
    }
  });

  it('reads taxon pages from label_taxon and the rowid in order, sorting only the page (EXPLAIN QUERY PLAN)', () => {
    for (const q of [
      { sort: 'taxon', order: 'desc' },
      { sort: 'taxon', order: 'asc', minQuality: 20 },
      { sort: 'taxon', order: 'asc', labelState: 'source_claimed' },
    ] as const) {
      const parsed = imageQuerySchema.parse(q);
      const statement = taxonPageStatement(db, {
        desc: parsed.order !== 'asc',
        limit: 50,
        offset: 0,
        after: { key: 'Amanita muscaria', id: 250 },
        ...imageFilter(parsed, false),
        labelled: parsed.labelState ? true : null,
      })!;
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(statement.params) as {
        id: number;
        parent: number;
        detail: string;
      }[];
      const details = plan.map((r) => r.detail);
      expect(details).toContainEqual(expect.stringMatching(/^SEARCH l USING (COVERING )?INDEX label_taxon \(taxon[<>]/));
      // The rest of the cursor's taxon is a seek on (taxon, rowid), not a walk over the taxon's earlier rows.
      expect(details).toContainEqual(expect.stringMatching(/^SEARCH l USING (COVERING )?INDEX label_taxon \(taxon=\? AND rowid[<>]\?\)/));
      // Sorts happen only over the parts' materialized rows (at most offset + limit in all), never inside a part's
      // own loop, which walks its index in order and stops at its LIMIT.
      const byId = new Map(plan.map((r) => [r.id, r]));
      const insidePart = (r: { parent: number }): boolean => {
        const up = byId.get(r.parent);
        return up ? /^MATERIALIZE p\d/.test(up.detail) || insidePart(up) : false;
      };
      const sorts = plan.filter((r) => r.detail.startsWith('USE TEMP B-TREE'));
      expect(sorts.length).toBeGreaterThan(0);
      expect(sorts.filter(insidePart)).toEqual([]);
      // A later part reads only what the earlier ones left of the page; the summary is read for the page's rows.
      expect(statement.sql).toMatch(/p1 AS MATERIALIZED \([^]*LIMIT max\(0, @n - \(SELECT count\(\*\) FROM p0\)\)\)/);
      expect(plan.filter((r) => /CORRELATED SCALAR SUBQUERY/.test(r.detail)).every((r) => r.parent === 0)).toBe(true);
      if (!parsed.labelState && parsed.order === 'desc') expect(details).toContain('SCAN i');
    }
  });

  it('ends with next null on the last page', () => {
    const page = list({ limit: 1000 });
    expect(page.items).toHaveLength(500);
    expect(page.next).toBeNull();
  });

  it('counts again only after the catalogue changed', () => {
    const q: ImageQuery = { labelState: 'unlabelled', limit: 10 };
    const before = list(q).total;
    expect(list(q).total).toBe(before);
    insertImages(db, 'pages-more', 3);
    expect(list(q).total).toBe(before + 3);
    expect(list({ taxon: 'Amanita', limit: 1 }).total).toBe(list({ taxon: 'Amanita', limit: 1000 }).items.length);
  });

  it("gives each image the summary its detail gives, and names a page row's wrong value (rows read raw, every column checked)", () => {
    for (const sort of ['created', 'taxon'] as const)
      for (const item of list({ sort, limit: 40 }).items) {
        const detail = getImageDetail(db, item.id);
        expect(item).toEqual(Object.fromEntries(Object.keys(item).map((k) => [k, detail[k as keyof typeof detail]])));
      }
    const newest = list({ limit: 1 }).items[0]!.id;
    db.prepare('UPDATE image SET is_hq = 2 WHERE id = ?').run(newest);
    try {
      expect(() => list({ limit: 5 })).toThrow(
        /image page row does not have the expected shape at is_hq: expected 0 or 1, received number 2/,
      );
    } finally {
      db.prepare('UPDATE image SET is_hq = 0 WHERE id = ?').run(newest);
    }
  });
});
