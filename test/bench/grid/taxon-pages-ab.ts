// Taxon pages before and after issue 19 part 3, same run, same pages: the SQL of taxon-page-before.ts (every part
// carried the summary columns) against taxonPageStatement now (parts carry ids; a part reads only what the parts
// before it left), each prepared once and read raw, at 10 depths of the listing, both directions. The first read
// of each page is timed on its own (the pages it touches not yet cached, as a curator's scroll meets them; which
// path goes first alternates by depth), then 5 more interleaved; both return the same rows (checked).
import { performance } from 'node:perf_hooks';
import { imageQuerySchema } from '../../../src-shared/api/catalog';
import type { Db } from '../../../src-main/core/catalog/database';
import { imageFilter } from '../../../src-main/core/catalog/image-filters';
import { listImages } from '../../../src-main/core/catalog/image-pages';
import { taxonPageStatement } from '../../../src-main/core/catalog/taxon-pages';
import { taxonPageStatementBefore } from './taxon-page-before';

const PAGE = 200;
const REPEATS = 5;

export interface TaxonPagesAb {
  query: string;
  firstBeforeMs: number;
  firstAfterMs: number;
  firstBeforeCpuMs: number;
  firstAfterCpuMs: number;
  warmBeforeMs: number;
  warmAfterMs: number;
  warmBeforeCpuMs: number;
  warmAfterCpuMs: number;
}

export function measureTaxonPagesAb(db: Db, order: 'asc' | 'desc', depths = 10): TaxonPagesAb {
  const q = imageQuerySchema.parse({ sort: 'taxon', order, limit: PAGE });
  const total = listImages(db, q).total;
  const sums = {
    firstBefore: 0,
    firstAfter: 0,
    firstBeforeCpu: 0,
    firstAfterCpu: 0,
    warmBefore: 0,
    warmAfter: 0,
    warmBeforeCpu: 0,
    warmAfterCpu: 0,
  };
  for (let d = 1; d <= depths; d++) {
    const offset = Math.floor(((total - PAGE) * d) / depths / PAGE) * PAGE;
    const after = listImages(db, { ...q, offset: offset - 1, limit: 1 }).next!;
    const tq = { desc: order === 'desc', limit: PAGE, offset: 0, after, ...imageFilter(q, false), labelled: null };
    const [before, now] = [taxonPageStatementBefore(db, tq)!, taxonPageStatement(db, tq)!].map((s) => ({
      read: db.prepare(s.sql).raw(true),
      params: s.params,
    }));
    const run = (s: typeof before) => {
      const c = process.cpuUsage();
      const t = performance.now();
      const rows = s!.read.all(s!.params);
      const used = process.cpuUsage(c);
      return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, rows };
    };
    const pair = d % 2 ? [before, now] : [now, before];
    const [a, b] = pair.map((s) => run(s));
    const [firstBefore, firstAfter] = d % 2 ? [a!, b!] : [b!, a!];
    if (JSON.stringify(firstBefore.rows) !== JSON.stringify(firstAfter.rows)) throw new Error(`taxon ${order}: pages at ${offset} differ`);
    sums.firstBefore += firstBefore.ms;
    sums.firstAfter += firstAfter.ms;
    sums.firstBeforeCpu += firstBefore.cpuMs;
    sums.firstAfterCpu += firstAfter.cpuMs;
    for (let r = 0; r < REPEATS; r++) {
      const x = run(before);
      const y = run(now);
      sums.warmBefore += x.ms / REPEATS;
      sums.warmBeforeCpu += x.cpuMs / REPEATS;
      sums.warmAfter += y.ms / REPEATS;
      sums.warmAfterCpu += y.cpuMs / REPEATS;
    }
  }
  const per = (ms: number) => +(ms / depths).toFixed(2);
  return {
    query: `taxon ${order}`,
    firstBeforeMs: per(sums.firstBefore),
    firstAfterMs: per(sums.firstAfter),
    firstBeforeCpuMs: per(sums.firstBeforeCpu),
    firstAfterCpuMs: per(sums.firstAfterCpu),
    warmBeforeMs: per(sums.warmBefore),
    warmAfterMs: per(sums.warmAfter),
    warmBeforeCpuMs: per(sums.warmBeforeCpu),
    warmAfterCpuMs: per(sums.warmAfterCpu),
  };
}
