// What every end-to-end file sets up: a work folder, the real `sporeprint serve` on a library inside it, and one
// Chromium page on that server, with the page's uncaught errors collected (each file asserts there were none).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, SCREENSHOT_DIR } from './browser';
import { ensureRendererBuilt } from './renderer-build';
import { startServe, type ServeProcess } from './serve-process';

export interface BrowserSession {
  /** The session's own temporary folder; the library is `<work>/library`. */
  work: string;
  server: ServeProcess;
  browser: BrowserContext;
  page: Page;
  /** Messages of uncaught errors in the page. */
  pageErrors: string[];
  /** Loads the app at `hash` and waits for its navigation; `fresh` loads about:blank first, so a hash-only change
   * cannot keep the previous test's state (filters, zoom, query). */
  open(hash: string, options?: { fresh?: boolean }): Promise<void>;
  /** A screenshot of the page into test-results/, named `<prefix><name>.png`. */
  shot(name: string): Promise<Buffer>;
  /** Ingests `paths` through the API and waits until the job has completed (throws otherwise). */
  ingest(paths: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface SessionOptions {
  /** Prefix of the work folder and of screenshot names. */
  name: string;
  /** Runs before the server starts, with the work folder (write photos there). */
  prepare?: (work: string) => Promise<void>;
  /** Environment of the `serve` process. */
  env?: NodeJS.ProcessEnv;
  viewport?: { width: number; height: number };
  /** Screenshot names are `<shotPrefix><name>.png` (default `<name>-`). */
  shotPrefix?: string;
}

export async function startBrowserSession(options: SessionOptions): Promise<BrowserSession> {
  ensureRendererBuilt();
  const work = mkdtempSync(path.join(os.tmpdir(), `sporeprint-e2e-${options.name}-`));
  const stops: (() => unknown)[] = [() => rmSync(work, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  try {
    await options.prepare?.(work);
    const server = await startServe(path.join(work, 'library'), options.env);
    stops.push(() => server.stop());
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    if (options.viewport) await page.setViewportSize(options.viewport);
    const prefix = options.shotPrefix ?? `${options.name}-`;
    return {
      work,
      server,
      browser,
      page,
      pageErrors,
      async open(hash, { fresh = false } = {}) {
        if (fresh) await page.goto('about:blank');
        await page.goto(`${server.url}${hash}`);
        await page.waitForSelector('nav[aria-label="Views"]');
      },
      shot: (name) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${prefix}${name}.png`) }),
      async ingest(paths) {
        const { jobId } = await server.call('ingest.start', { paths });
        const job = await server.waitForJob(jobId);
        if (job.status !== 'completed') throw new Error(`ingest of ${paths.join(', ')} ended ${job.status}: ${job.error ?? ''}`);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
