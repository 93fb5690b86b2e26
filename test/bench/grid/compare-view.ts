// The Duplicates compare view and its 1:1 loupe in chromium, with same-run, same-page baselines: the view's own
// API requests (read from the page's resource timings) and one plain grid page (images.list, as the Library asks
// for it) replayed by fetch, and a bare <img> of an original the page has not shown yet (what the loupe shows at
// 100 %, through the same /original/<id> route), loaded at 1:1 (the floor a loupe tile cannot beat), with the same
// file read from disk in Node for scale.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { HTTP_API_PREFIX, HTTP_ORIGINAL_PREFIX, TOKEN_HEADER } from '../../../src-shared/transport';
import type { Library } from '../../../src-main/core/library';

const REPEATS = 5;

export interface CompareRun {
  /** From switching to #/duplicates until both compare panes show their decoded pictures. */
  openCompareMs: number;
  /** duplicates.clusters requests the view made while opening (resource timings), and the slowest one. */
  compareApiCalls: number;
  compareApiMs: number;
  /** The view's opening reads (duplicates.clusters limit 1 and limit 60, in parallel) replayed by fetch, median. */
  replayApiMs: number;
  /** One Library grid page (images.list, limit 200) by fetch from the same page, median. */
  gridPageMs: number;
  /** At 100 %, from the key that shows the next member until its picture is decoded in the loupe. */
  loupeTileMs: number;
  /** A bare <img> of an original not shown before, at 1:1, until loaded (the loupe's test), median. */
  bareTileMs: number;
  /** readFileSync of those originals in Node, median. */
  diskReadMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Originals of the newest rows (what the loupe shows at 100 %): never cluster members the view opens on, so never
 * in the page's cache. */
function unseenOriginals(lib: Library): { id: number; path: string }[] {
  return lib.db
    .prepare('SELECT i.id, min(l.path) AS path FROM image i JOIN location l ON l.image_id = i.id GROUP BY i.id ORDER BY i.id DESC LIMIT ?')
    .all(REPEATS) as { id: number; path: string }[];
}

export async function measureCompare(page: Page, lib: Library, token: string): Promise<CompareRun> {
  const opened = await page.evaluate(
    (apiPath) =>
      new Promise<{ ms: number; apiCalls: number; apiMs: number }>((resolve) => {
        performance.clearResourceTimings();
        const start = performance.now();
        location.hash = '#/duplicates';
        const check = () => {
          const imgs = [...document.querySelectorAll<HTMLImageElement>('.compare-pane .loupe-img')];
          if (imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0)) {
            const ms = performance.now() - start;
            const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
              (e) => e.startTime >= start && e.name.includes(apiPath),
            );
            resolve({ ms, apiCalls: api.length, apiMs: Math.max(0, ...api.map((e) => e.responseEnd - e.startTime)) });
          } else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    `${HTTP_API_PREFIX}duplicates.clusters`,
  );
  await page.keyboard.press('z');
  await page.waitForSelector('.compare-panes[data-zoom="actual"]');
  const loupeTileMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const before = document.querySelector('[data-testid="card-member"]')!.getAttribute('data-image-id');
        const start = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        const check = () => {
          const img = document.querySelector<HTMLImageElement>('[data-testid="compare-pane-1"] .loupe-img');
          const id = img?.getAttribute('data-image-id');
          if (img && id !== before && img.complete && img.naturalWidth > 0) resolve(performance.now() - start);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );
  const baselines = await page.evaluate(
    async ({ api, original, header, token, ids, repeats }) => {
      const call = (method: string, input: object) =>
        fetch(`${api}${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [header]: token },
          body: JSON.stringify(input),
        }).then((r) => {
          if (!r.ok) throw new Error(`${method}: HTTP ${r.status}`);
          return r.json();
        });
      const timed = async (f: () => Promise<unknown>) => {
        const t = performance.now();
        await f();
        return performance.now() - t;
      };
      const replay: number[] = [];
      const grid: number[] = [];
      const tiles: number[] = [];
      for (let i = 0; i < repeats; i++) {
        replay.push(
          await timed(() => Promise.all([call('duplicates.clusters', { limit: 1 }), call('duplicates.clusters', { limit: 60 })])),
        );
        grid.push(await timed(() => call('images.list', { offset: 0, limit: 200 })));
        // Shown at 1:1 in the page and polled per animation frame with the loupe's own test, so both share the
        // frame granularity and differ only by the view's work.
        tiles.push(
          await timed(
            () =>
              new Promise<void>((resolve) => {
                const img = document.createElement('img');
                img.style.cssText = 'position:fixed;left:0;top:0;z-index:9';
                img.src = `${original}${ids[i]!}`;
                document.body.append(img);
                const check = () => {
                  if (img.complete && img.naturalWidth > 0) {
                    img.remove();
                    resolve();
                  } else requestAnimationFrame(check);
                };
                requestAnimationFrame(check);
              }),
          ),
        );
      }
      return { replay, grid, tiles };
    },
    {
      api: HTTP_API_PREFIX,
      original: HTTP_ORIGINAL_PREFIX,
      header: TOKEN_HEADER,
      token,
      ids: unseenOriginals(lib).map((o) => o.id),
      repeats: REPEATS,
    },
  );
  const disk = unseenOriginals(lib).map((o) => {
    const t = performance.now();
    readFileSync(o.path);
    return performance.now() - t;
  });
  return {
    openCompareMs: opened.ms,
    compareApiCalls: opened.apiCalls,
    compareApiMs: opened.apiMs,
    replayApiMs: median(baselines.replay),
    gridPageMs: median(baselines.grid),
    loupeTileMs,
    bareTileMs: median(baselines.tiles),
    diskReadMs: median(disk),
  };
}
