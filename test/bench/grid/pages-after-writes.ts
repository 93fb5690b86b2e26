// The grid's first page after each kind of write (steps-after-writes.ts: a label decision, a quality re-score, an
// ingest batch, a deletion, a write to another table), total included: images.list now (its filter's total, the
// library's and the taxon order's blank part repaired from the write's logged images, filter-totals.ts) against the
// code before (each of those counted again with count(*), as countOnce did once per catalogue version, then the
// same page), same run. Each write is undone after its page (untimed); every total is checked against a plain count.
import { imageQuerySchema, type ImageQuery } from '../../../src-shared/api/catalog';
import type { Db } from '../../../src-main/core/catalog/database';
import { filterTotal } from '../../../src-main/core/catalog/filter-totals';
import { imageFilter } from '../../../src-main/core/catalog/image-filters';
import { imagePageStatement, listImages } from '../../../src-main/core/catalog/image-pages';
import { rankIndexFates } from '../../../src-main/core/catalog/listing-ranks';
import { countOnce } from '../../../src-main/core/catalog/version-cache';
import { writes } from './steps-after-writes';

type PageQuery = Omit<ImageQuery, 'offset' | 'limit' | 'after'>;

function cpuMs<T>(run: () => T): { cpu: number; value: T } {
  const c = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(c);
  return { cpu: (used.user + used.system) / 1000, value };
}

const median = (ms: number[]) => +[...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!.toFixed(2);

/** The counts the first page made before totals were carried: the filter's, the library's (label filters), the blanks'. */
function countsBefore(db: Db, q: ReturnType<typeof imageQuerySchema.parse>): number {
  const filter = imageFilter(q);
  const where = filter.where.length ? `WHERE ${filter.where.join(' AND ')}` : '';
  const total = filter.where.some((t) => t.includes('l.'))
    ? countOnce(db, `FROM image i LEFT JOIN label l ON l.image_id = i.id ${where}`, filter.params)
    : countOnce(db, `FROM image i ${where}`, filter.params);
  if ((q.labelState || q.taxon) && q.sort !== 'taxon') countOnce(db, 'FROM image i', {});
  if (q.sort === 'taxon') countOnce(db, `FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE l.image_id IS NULL OR l.taxon = ''`, {});
  return total;
}

export interface PageAfterWriteResult {
  query: string;
  write: string;
  /** CPU ms of the filter's very first page (its checkpoints walked to the end now; one count before). */
  coldNowCpuMs: number;
  coldBeforeCpuMs: number;
  /** CPU ms of the first page of 200 after the write, total included: the median over the repetitions. */
  nowCpuMs: number;
  beforeCpuMs: number;
  /** Totals whose checkpoints were walked again (not repaired) on the product's path: 0 unless the log could not tell. */
  rebuilt: number;
}

export function measurePagesAfterWrites(db: Db, label: string, query: PageQuery, repetitions = 10): PageAfterWriteResult[] {
  const q = imageQuerySchema.parse({ ...query, offset: 0, limit: 200 });
  const now = () => listImages(db, q);
  // The counts before, then the same page (its totals already brought up to date, untimed: see prepare).
  const before = () => {
    const total = countsBefore(db, q);
    return { total, rows: listImages(db, q).items.length };
  };
  const otherTable = writes(db).at(-1)!;
  /** Brings the product's totals up to date with the write, so that the code before's page does not pay for it. */
  const prepare = () => {
    const total = filterTotal(db, q);
    imagePageStatement(db, q, total); // the library's total and the blank part's, where the page reads them
    // countOnce keeps a count until the catalogue changes: a write no filter reads makes the code before count again.
    otherTable.apply(0);
    return total;
  };
  // The filter's checkpoints are walked once before the writes, as by the grid's first page.
  const coldNow = cpuMs(now).cpu;
  prepare();
  const coldBefore = cpuMs(before).cpu;
  const results: PageAfterWriteResult[] = [];
  for (const write of writes(db)) {
    const sums = { now: [] as number[], before: [] as number[], rebuilt: 0 };
    for (let r = 0; r < repetitions; r++) {
      write.apply(0);
      const built = rankIndexFates(db).built;
      const page = cpuMs(now);
      sums.rebuilt += rankIndexFates(db).built - built;
      sums.now.push(page.cpu);
      const want = countsBefore(db, q);
      if (page.value.total !== want) throw new Error(`${label}, ${write.kind}: total ${page.value.total}, not ${want}`);
      write.undo();
      now(); // untimed: the undo's repair
      write.apply(0);
      const total = prepare();
      const old = cpuMs(before);
      sums.before.push(old.cpu);
      if (old.value.total !== total) throw new Error(`${label}, ${write.kind}: total ${total}, counted ${old.value.total}`);
      write.undo();
      now();
    }
    results.push({
      query: label,
      write: write.kind,
      coldNowCpuMs: +coldNow.toFixed(1),
      coldBeforeCpuMs: +coldBefore.toFixed(1),
      nowCpuMs: median(sums.now),
      beforeCpuMs: median(sums.before),
      rebuilt: sums.rebuilt,
    });
  }
  return results;
}
