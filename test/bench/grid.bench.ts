// Grid benchmark: time to first thumbnails and scroll frame times of the Library view in chromium, and the time to
// open the Duplicates compare view and to load a 1:1 loupe tile, at 100k catalogue rows against a 1k-row baseline
// measured in the same run (virtualisation and paged reads should make them alike).
// Then images.list per page at depth in-process on --list-rows rows: keyset pages vs the OFFSET + count(*) path, taxon
// pages vs their previous SQL, and the Detail view's previous / next step (images.neighbours) vs its previous count
// and one keyset page.
// usage: npm run bench:grid -- [--rows 100000] [--baseline-rows 1000] [--frames 240] [--list-rows 1000000] [--list-only] [--keep DIR]
//   [--write-depths 10] [--writes-only] [--pages-only] [--require]
// --keep DIR keeps the list catalogue in DIR and reuses it when DIR holds one of --list-rows rows (a 1M build takes minutes).
// --write-depths N: depths at which the first Detail step after each kind of write is measured (each write is undone);
// --writes-only: of the in-process list measurements, only those after writes (a 1M run of all of them takes long);
// the first grid page after each kind of write (total included) is measured first, --pages-only stops after it.
// --write-depths also sets how often each write is repeated for the first page after it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startServer } from '../../src-main/server/http-server';
import { CHROMIUM_PATH, hasChromium, launchBrowser } from '../e2e/support/browser';
import { ensureRendererBuilt, RENDERER_INDEX } from '../e2e/support/renderer-build';
import { buildGridLibrary } from './grid/grid-library';
import { measureCompare, type CompareRun } from './grid/compare-view';
import { measureDetailSteps } from './grid/detail-steps';
import { measureStepsAfterWrites } from './grid/steps-after-writes';
import { measurePagesAfterWrites } from './grid/pages-after-writes';
import { measureListPages, openListCatalogue } from './grid/list-pages';
import { measurePageParts } from './grid/page-parts';
import { measureTaxonPagesAb } from './grid/taxon-pages-ab';
import type { ImageQuery } from '../../src-shared/api/catalog';
import type { Db } from '../../src-main/core/catalog/database';
import { skipBench } from './skip-bench';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    'baseline-rows': { type: 'string', default: '1000' },
    frames: { type: 'string', default: '240' },
    'list-rows': { type: 'string', default: '1000000' },
    'list-only': { type: 'boolean' },
    keep: { type: 'string' },
    'write-depths': { type: 'string', default: '10' },
    'writes-only': { type: 'boolean' },
    'pages-only': { type: 'boolean' },
    require: { type: 'boolean' },
  },
});
const FRAMES = Number(values.frames);

interface GridRun extends CompareRun {
  rows: number;
  setupSeconds: number;
  firstThumbMs: number;
  firstPageRequestMs: number;
  frames: number[];
  jumpThumbMs: number;
  domTiles: number;
  /** images.list answered in-process, first page and a page from the middle: the server's share of the latency. */
  listFirstMs: number;
  listMiddleMs: number;
  /** duplicates.clusters answered in-process: the first page, and the cluster containing one image. */
  clustersMs: number;
  containingMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(
  page: Page,
): Promise<Omit<GridRun, keyof CompareRun | 'rows' | 'setupSeconds' | 'listFirstMs' | 'listMiddleMs' | 'clustersMs' | 'containingMs'>> {
  // Time from navigation start until a thumbnail has actually decoded in the grid.
  const firstThumbMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const img = [...document.querySelectorAll<HTMLImageElement>('.thumb img')].find((i) => i.complete && i.naturalWidth > 0);
          if (img) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
  const firstPageRequestMs = await page.evaluate(() => {
    const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) =>
      e.name.includes('/api/images.list'),
    );
    return entry ? entry.responseEnd : NaN;
  });
  // Steady scroll: a fixed distance per animation frame, recording each frame's duration.
  const frames = await page.evaluate(async (count) => {
    const grid = document.querySelector<HTMLElement>('.virtual-grid')!;
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < count; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
      grid.scrollTop += 240;
    }
    return times;
  }, FRAMES);
  // Random access: jump to the middle of the catalogue and wait for its thumbnails.
  const jumpThumbMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const grid = document.querySelector<HTMLElement>('.virtual-grid')!;
        const start = performance.now();
        grid.scrollTop = grid.scrollHeight / 2;
        const target = grid.getBoundingClientRect();
        const check = () => {
          const visible = [...document.querySelectorAll<HTMLImageElement>('.thumb img')].find((i) => {
            const r = i.getBoundingClientRect();
            return i.complete && i.naturalWidth > 0 && r.top >= target.top && r.bottom <= target.bottom;
          });
          if (visible) resolve(performance.now() - start);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );
  const domTiles = await page.evaluate(() => document.querySelectorAll('.grid-cell').length);
  return { firstThumbMs, firstPageRequestMs, frames, jumpThumbMs, domTiles };
}

async function run(rows: number): Promise<GridRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-grid-bench-'));
  const started = performance.now();
  const lib = await buildGridLibrary(dir, rows);
  const setupSeconds = (performance.now() - started) / 1000;
  const timed = async (offset: number) => {
    const t = performance.now();
    await lib.invoke('images.list', { offset, limit: 200 });
    return performance.now() - t;
  };
  const listFirstMs = await timed(0);
  const listMiddleMs = await timed(Math.floor(rows / 2));
  const timedClusters = async (input: { containing?: number }) => {
    const t = performance.now();
    const page = await lib.invoke('duplicates.clusters', { limit: 60, ...input });
    if (page.preview || page.clusters.length === 0) throw new Error('the bench library has no stored clusters');
    return { ms: performance.now() - t, page };
  };
  const first = await timedClusters({});
  const clustersMs = first.ms;
  const containingMs = (await timedClusters({ containing: first.page.clusters.at(-1)!.representative })).ms;
  const server = await startServer(lib, { rendererDir: path.dirname(RENDERER_INDEX) });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    // tsx compiles with keepNames, so functions shipped to the page reference esbuild's __name helper.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(`${server.openUrl}#/library`);
    const grid = await measure(page);
    return {
      rows,
      setupSeconds,
      listFirstMs,
      listMiddleMs,
      clustersMs,
      containingMs,
      ...grid,
      ...(await measureCompare(page, lib, server.token)),
    };
  } finally {
    await browser.close();
    await server.close();
    await lib.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: GridRun) {
  const sorted = [...r.frames].sort((a, b) => a - b);
  return {
    rows: r.rows,
    firstThumbMs: Math.round(r.firstThumbMs),
    firstPageMs: Math.round(r.firstPageRequestMs),
    frameP50: +percentile(sorted, 50).toFixed(1),
    frameP95: +percentile(sorted, 95).toFixed(1),
    frameMax: +sorted[sorted.length - 1]!.toFixed(1),
    over33ms: sorted.filter((t) => t > 33.4).length,
    jumpThumbMs: Math.round(r.jumpThumbMs),
    domTiles: r.domTiles,
    listFirstMs: Math.round(r.listFirstMs),
    listMiddleMs: Math.round(r.listMiddleMs),
    openCompareMs: Math.round(r.openCompareMs),
    compareApiCalls: r.compareApiCalls,
    compareApiMs: +r.compareApiMs.toFixed(1),
    replayApiMs: +r.replayApiMs.toFixed(1),
    gridPageMs: +r.gridPageMs.toFixed(1),
    loupeTileMs: Math.round(r.loupeTileMs),
    bareTileMs: +r.bareTileMs.toFixed(1),
    diskReadMs: +r.diskReadMs.toFixed(2),
    clustersMs: Math.round(r.clustersMs),
    containingMs: +r.containingMs.toFixed(1),
    setupS: +r.setupSeconds.toFixed(1),
  };
}

const queries: [string, ImageQuery][] = [
  ['newest first', {}],
  ['quality desc', { sort: 'quality' }],
  ['human_verified, newest', { labelState: 'human_verified' }],
  ['size asc', { sort: 'size', order: 'asc' }],
  ['taxon asc', { sort: 'taxon', order: 'asc' }],
  ['taxon desc', { sort: 'taxon' }],
];

/** Filters whose totals only the pages-after-writes measurement reads (a taxon's stretch, an image column). */
const totalQueries: [string, ImageQuery][] = [
  ['Boletus, newest', { taxon: 'Boletus' }],
  ['quality >= 80, newest', { minQuality: 80 }],
];

/** Pages, their parts, taxon pages and Detail steps at depth, each against its previous code. */
function listAndStepBenches(db: Db) {
  // Where a page's time goes (ms per page, same 10 depths); `beforeMs` is the pre-clean-up path's parts summed.
  console.table(queries.map(([label, q]) => measurePageParts(db, label, q)));
  const results = queries.map(([label, q]) => measureListPages(db, label, q));
  console.table(results);
  for (const r of results)
    console.log(
      `  ${r.query}: keyset ${r.keysetMsPerPage} ms/page vs OFFSET+count ${r.offsetMsPerPage} ms/page = ${(r.offsetMsPerPage / r.keysetMsPerPage).toFixed(1)}x`,
    );
  // Taxon pages, the previous SQL against the current on the same pages (first read, then warm).
  const taxon = (['asc', 'desc'] as const).map((order) => measureTaxonPagesAb(db, order));
  console.table(taxon);
  for (const r of taxon)
    console.log(
      `  ${r.query}: first read ${r.firstBeforeMs} -> ${r.firstAfterMs} ms/page (CPU ${r.firstBeforeCpuMs} -> ${r.firstAfterCpuMs}), ` +
        `warm ${r.warmBeforeMs} -> ${r.warmAfterMs} ms ` +
        `(CPU ${r.warmBeforeCpuMs} -> ${r.warmAfterCpuMs} ms) = ${(r.warmBeforeCpuMs / r.warmAfterCpuMs).toFixed(2)}x less CPU`,
    );
  // The Detail view's previous / next (with the image's place in the list): now vs the previous count, and
  // against one grid page, same rows.
  const steps = [
    measureDetailSteps(db, 'newest first', {}),
    measureDetailSteps(db, 'quality desc', { sort: 'quality' }),
    measureDetailSteps(db, 'size asc', { sort: 'size', order: 'asc' }),
    measureDetailSteps(db, 'taxon A-Z', { sort: 'taxon', order: 'asc' }),
    measureDetailSteps(db, 'taxon Z-A', { sort: 'taxon', order: 'desc' }),
    measureDetailSteps(db, 'human_verified, newest', { labelState: 'human_verified' }),
  ];
  console.table(steps);
  for (const r of steps)
    console.log(
      `  detail step, ${r.query}: images.neighbours ${r.againMs} ms (CPU ${r.againCpuMs}) vs the previous count ${r.beforeMs} ms ` +
        `(CPU ${r.beforeCpuMs}) = ${(r.beforeCpuMs / r.againCpuMs).toFixed(1)}x less CPU; ${(r.againMs / r.keysetPageMs).toFixed(2)}x one keyset page ` +
        `(${r.keysetPageMs} ms); arrow key ${r.arrowStepMs} ms/step; first step after a change ${r.firstAfterChangeMs} ms ` +
        `(CPU ${r.firstAfterChangeCpuMs}) vs ${r.beforeFirstAfterChangeMs} ms (CPU ${r.beforeFirstAfterChangeCpuMs}) before`,
    );
}

function listPagesBench(rows: number) {
  const dir = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(os.tmpdir(), 'sporeprint-list-bench-'));
  try {
    const started = performance.now();
    const db = openListCatalogue(dir, rows);
    console.log(
      `images.list on ${rows} rows (ready in ${((performance.now() - started) / 1000).toFixed(1)} s), pages of 200 at 10 depths:`,
    );
    if (!values['writes-only']) listAndStepBenches(db);
    // The first grid page after each kind of write, total included: totals repaired (now) vs counted again (before).
    const pagesAfterWrites = [...queries, ...totalQueries].flatMap(([label, q]) =>
      measurePagesAfterWrites(db, label, q, Number(values['write-depths'])),
    );
    console.table(pagesAfterWrites);
    for (const r of pagesAfterWrites)
      console.log(
        `  first page after ${r.write}, ${r.query}: CPU ${r.nowCpuMs} ms vs ${r.beforeCpuMs} ms before = ` +
          `${(r.beforeCpuMs / Math.max(r.nowCpuMs, 0.001)).toFixed(1)}x less CPU${r.rebuilt ? ` (${r.rebuilt} rebuilt)` : ''}; ` +
          `the filter's first page ${r.coldNowCpuMs} ms vs ${r.coldBeforeCpuMs} ms`,
      );
    if (values['pages-only']) {
      db.close();
      return;
    }
    // The first step after each kind of write: checkpoints repaired from the write (now) vs walked again (before).
    const afterWrites = queries.flatMap(([label, q]) => measureStepsAfterWrites(db, label, q, Number(values['write-depths'])));
    console.table(afterWrites);
    for (const r of afterWrites)
      console.log(
        `  first detail step after ${r.write}, ${r.query}: CPU ${r.nowCpuMs} ms vs ${r.beforeCpuMs} ms before = ` +
          `${(r.beforeCpuMs / Math.max(r.nowCpuMs, 0.001)).toFixed(1)}x less CPU${r.rebuilt ? ` (${r.rebuilt} rebuilt)` : ''}`,
      );
    db.close();
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (values['list-only']) {
  listPagesBench(Number(values['list-rows']));
  process.exit(0);
}
if (!hasChromium) skipBench(`the grid bench needs Chromium, not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
ensureRendererBuilt();
const baseline = report(await run(Number(values['baseline-rows'])));
const big = report(await run(Number(values.rows)));
console.table([baseline, big]);
const ratio = (k: 'firstThumbMs' | 'frameP50' | 'frameP95' | 'jumpThumbMs' | 'domTiles' | 'openCompareMs' | 'loupeTileMs' | 'clustersMs') =>
  (big[k] / Math.max(1e-9, baseline[k])).toFixed(2);
console.log(
  `ratios ${big.rows} rows / ${baseline.rows} rows: first thumbnail ${ratio('firstThumbMs')}x, frame p50 ${ratio('frameP50')}x, ` +
    `frame p95 ${ratio('frameP95')}x, thumbnails after a jump ${ratio('jumpThumbMs')}x, DOM tiles ${ratio('domTiles')}x, ` +
    `compare view open ${ratio('openCompareMs')}x, 1:1 loupe tile ${ratio('loupeTileMs')}x, clusters page ${ratio('clustersMs')}x`,
);
// Against baselines from the same page at the same size: what the view costs beyond the reads and decodes it needs.
for (const r of [baseline, big])
  console.log(
    `${r.rows} rows: compare view open ${r.openCompareMs} ms = ${(r.openCompareMs / r.firstThumbMs).toFixed(2)}x the Library's first thumbnail ` +
      `(${r.firstThumbMs} ms); its ${r.compareApiCalls} duplicates.clusters requests took up to ${r.compareApiMs} ms, replayed ${r.replayApiMs} ms = ` +
      `${(r.replayApiMs / r.gridPageMs).toFixed(2)}x one images.list grid page (${r.gridPageMs} ms); 1:1 loupe tile ${r.loupeTileMs} ms = ` +
      `${(r.loupeTileMs / r.bareTileMs).toFixed(2)}x a bare <img> of an original not shown before (${r.bareTileMs} ms; ` +
      `file read from disk ${r.diskReadMs} ms)`,
  );
listPagesBench(Number(values['list-rows']));
