// Launches Debian's chromium through playwright-core with a fresh profile; tests skip when it is not installed.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { REPO_ROOT } from './serve-process';

export const CHROMIUM_PATH = process.env.SPOREPRINT_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const CHROMIUM_SKIP_REASON = `chromium not found at ${CHROMIUM_PATH} (apt-get install chromium); skipping browser tests`;
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results');

export async function launchBrowser(): Promise<BrowserContext> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-chromium-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
