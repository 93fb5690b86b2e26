// The README's desktop instructions, held to the code: the three ways to run and the scripts they name, the offline
// files (the exact URLs for this electron and better-sqlite3) and the places "by hand" puts them, followed literally
// in a scratch checkout until `npm start`'s check and the doctor are satisfied; the packaged-app smoke script is
// in the repo, documented, and says why it skips where it cannot run.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronSqliteBinding, findSqlitePackage } from '../../../src-main/core/catalog/native-binding';
import { runDoctor } from '../../../src-main/core/doctor/run-doctor';
import { findElectronPackage } from '../../../src-main/core/runtime/electron-package';
import { desktopReadiness } from '../../../src-main/setup/check-desktop';
import { electronDownloadUrl } from '../../../src-main/setup/fetch-electron';
import { sqliteDownloadUrl } from '../../../src-main/setup/fetch-electron-sqlite';
import { makeScratchCheckout, type ScratchCheckout } from '../../fixtures/scratch-checkout';
import { makeTempDir } from '../../fixtures/temp-library';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The README's paragraph that starts with this bold title, up to the next blank line. */
function paragraph(title: string): string {
  const start = readme.indexOf(`**${title}`);
  expect(start, `README has no **${title}** paragraph`).toBeGreaterThan(-1);
  return readme.slice(start, readme.indexOf('\n\n', start));
}

/** The README's "Three ways to run the UI" table rows, by their first cell. */
function waysToRun(): Record<string, string> {
  const start = readme.indexOf('Three ways to run the UI');
  const rows = readme.slice(start, readme.indexOf('\n\n', readme.indexOf('|', start))).split('\n');
  return Object.fromEntries(
    rows
      .filter((r) => r.startsWith('| ') && !r.startsWith('| |') && !r.startsWith('| ---'))
      .map((r) => {
        const cells = r.split('|').map((c) => c.trim());
        return [cells[1]!, `${cells[2]} | ${cells[3]}`];
      }),
  );
}

describe('the README on running the desktop app', () => {
  it('names three ways to run, each with a command package.json has and its prerequisites', () => {
    const ways = waysToRun();
    expect(Object.keys(ways)).toEqual(['browser', 'desktop, from the checkout', 'desktop, packaged']);
    expect(ways.browser).toContain('npm run build && npm run cli -- serve');
    expect(ways['desktop, from the checkout']).toContain('`npm run setup:desktop` once, then `npm start`');
    expect(ways['desktop, packaged']).toContain('`npm run package`');
    for (const script of ['build', 'cli', 'setup:desktop', 'start', 'dev', 'package', 'smoke:packaged'])
      expect(scripts[script]).toBeTruthy();
    // npm start, npm run dev and npm run package say what is missing before Electron is needed.
    for (const script of ['start', 'dev', 'package']) expect(scripts[script]).toMatch(/^tsx src-main\/setup\/check-desktop\.ts && /);
  });

  it('gives the exact offline downloads for this electron and better-sqlite3 (Linux x64), as npm start lists them', () => {
    const offline = paragraph('Desktop app offline.');
    const electron = findElectronPackage(path.join(ROOT, 'package.json'))!;
    const sqlite = findSqlitePackage(path.join(ROOT, 'package.json'));
    const linux = { abi: electron.abi, platform: 'linux', arch: 'x64' };
    expect(offline).toContain(`\`${electronDownloadUrl(electron.version, 'linux', 'x64', {})}\``);
    expect(offline).toContain(`\`${sqliteDownloadUrl(sqlite, linux, {})}\``);
    expect(offline).toContain('`npm run setup:desktop -- --offline <folder>`');
    expect(offline).toContain(`--target=${electron.version}`);
    // The place named in the setup paragraph, with its placeholders filled, is where the catalogue opener looks.
    const place = /`(node_modules\/\.sporeprint-native\/[^`]+)`/.exec(readme)![1]!;
    const filled = place
      .replace('<version>', sqlite.version)
      .replace('<abi>', linux.abi)
      .replace('<platform>', linux.platform)
      .replace('<arch>', linux.arch);
    expect(path.join(ROOT, filled)).toBe(
      electronSqliteBinding({ ...sqlite, dir: path.join(ROOT, 'node_modules', 'better-sqlite3') }, linux),
    );
  });

  it('documents the packaged-app smoke script that is in the repo', () => {
    const smoke = paragraph('Smoke test of the packaged app');
    expect(smoke).toContain('`npm run smoke:packaged`, `.ci/smoke-packaged`');
    expect(scripts['smoke:packaged']).toBe('bash .ci/smoke-packaged');
    expect(readFileSync(path.join(ROOT, '.ci/smoke-packaged'), 'utf8')).toContain('SPOREPRINT_SMOKE_OUT');
  });
});

describe.skipIf(process.platform !== 'linux')('the smoke script where it cannot run', () => {
  const bin = makeTempDir('sporeprint-smoke-path-');
  afterAll(() => bin.cleanup());

  it('prints SKIPPED with its reason and exits 0 without xvfb-run (as on the build machines)', () => {
    // A PATH with only what the script needs before its first check: no xvfb-run, whatever this machine has.
    for (const tool of ['dirname', 'uname'])
      symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin.dir, tool));
    const run = spawnSync('/bin/bash', [path.join(ROOT, '.ci/smoke-packaged')], { env: { PATH: bin.dir }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('SKIPPED: xvfb-run is not installed (apt-get install xvfb)\n');
    expect(run.status).toBe(0);
  });
});

describe.skipIf(process.platform !== 'linux')('"Desktop app offline", by hand, followed literally', () => {
  let checkout: ScratchCheckout;
  beforeAll(() => {
    checkout = makeScratchCheckout();
  });
  afterAll(() => checkout?.cleanup());

  it('unzipping Electron into dist/, writing path.txt and placing better_sqlite3.node is all npm start and the doctor need', async () => {
    const nm = path.join(checkout.root, 'node_modules');
    expect(desktopReadiness(checkout.root, checkout.env).missing).toHaveLength(2);
    // "unzip Electron into node_modules/electron/dist/" (unzip keeps the executable bit; fflate does not, so set it)
    const dist = path.join(nm, 'electron', 'dist');
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(checkout.electronZip)))) {
      mkdirSync(path.dirname(path.join(dist, name)), { recursive: true });
      writeFileSync(path.join(dist, name), bytes);
    }
    chmodSync(path.join(dist, 'electron'), 0o755);
    // "and write electron into node_modules/electron/path.txt"
    writeFileSync(path.join(nm, 'electron', 'path.txt'), 'electron');
    expect(desktopReadiness(checkout.root, checkout.env).missing).toHaveLength(1);
    // "take build/Release/better_sqlite3.node from the tarball and place it at the .sporeprint-native path above"
    const place = /`(node_modules\/\.sporeprint-native\/[^`]+)`/.exec(readme)![1]!;
    const target = path.join(
      checkout.root,
      place
        .replace('<version>', checkout.sqliteVersion)
        .replace('<abi>', checkout.electronAbi)
        .replace('<platform>', process.platform)
        .replace('<arch>', process.arch),
    );
    mkdirSync(path.dirname(target), { recursive: true });
    execFileSync('tar', [
      '-xzf',
      checkout.sqliteTarball,
      '-C',
      path.dirname(target),
      '--strip-components=2',
      'build/Release/better_sqlite3.node',
    ]);
    expect(desktopReadiness(checkout.root, checkout.env).missing).toEqual([]);

    const report = await runDoctor({
      runtime: { abi: process.versions.modules, platform: process.platform, arch: process.arch, execPath: process.execPath },
      env: checkout.env,
      libraryDir: path.join(checkout.root, 'library'),
      from: path.join(checkout.root, 'package.json'),
      checkoutRoot: checkout.root,
      db: null,
      now: () => new Date(),
      timeoutMs: 30_000,
    });
    const under = `Electron ${checkout.electronVersion} (ABI ${checkout.electronAbi}, ${process.platform}-${process.arch})`;
    expect(report.checks.find((c) => c.name === `Electron ${checkout.electronVersion} (ABI ${checkout.electronAbi})`)?.status).toBe('ok');
    for (const name of ['better-sqlite3', 'sharp', 'hnswlib-node', 'onnxruntime-node'])
      expect(report.checks.find((c) => c.name === `${name} for ${under}`)?.status, name).toBe('ok');
  });
});
