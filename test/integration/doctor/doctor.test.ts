// `sporeprint doctor` and diagnostics.get: on this machine as it is (Electron's binary missing, Node's native builds
// fine), in a scratch checkout before and after the desktop setup, and as the app's runtime sees it (simulated).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorCheck, DoctorReport } from '../../../src-shared/api/doctor';
import { runCli } from '../../../src-main/cli/main';
import type { CommandIo } from '../../../src-main/cli/command';
import { currentRuntime, type NativeRuntime } from '../../../src-main/core/catalog/native-binding';
import type { DoctorContext } from '../../../src-main/core/doctor/doctor-context';
import { browserChecks, chromiumPath } from '../../../src-main/core/doctor/browser-checks';
import { runDoctor } from '../../../src-main/core/doctor/run-doctor';
import { findElectronPackage } from '../../../src-main/core/runtime/electron-package';
import { setupDesktop } from '../../../src-main/setup/setup-desktop';
import { startServe } from '../../e2e/support/serve-process';
import { hasPostgres, TEST_PG_URL } from '../../fixtures/pg-database';
import { makeScratchCheckout, type ScratchCheckout } from '../../fixtures/scratch-checkout';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const NODE = `Node ${process.versions.node} (ABI ${process.versions.modules})`;
const MODULES = ['better-sqlite3', 'sharp', 'hnswlib-node', 'onnxruntime-node'];

const tmp = makeTempDir('sporeprint-doctor-');
afterAll(() => tmp.cleanup());

async function cli(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const io: CommandIo = { out: (l) => out.push(l), err: (l) => out.push(l), interactive: false };
  return { code: await runCli(argv, io), out };
}

function context(overrides: Partial<DoctorContext>): DoctorContext {
  return {
    runtime: currentRuntime(),
    env: { SPOREPRINT_TEST_PG_URL: TEST_PG_URL },
    libraryDir: path.join(tmp.dir, 'no-library'),
    from: path.join(REPO, 'package.json'),
    checkoutRoot: REPO,
    db: null,
    now: () => new Date(),
    timeoutMs: 10_000,
    ...overrides,
  };
}

const named = (report: DoctorReport, name: string): DoctorCheck => {
  const found = report.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check "${name}" in ${report.checks.map((c) => c.name).join(', ')}`);
  return found;
};

describe('sporeprint doctor on this machine', () => {
  it('loads every native module for Node, reports the Electron side with its fix, and opens no library', async () => {
    const library = path.join(tmp.dir, 'cli-library');
    const { code, out } = await cli('--library', library, 'doctor');
    const text = out.join('\n');
    expect(out[0]).toBe(`library ${library}`);
    for (const name of MODULES) expect(text).toMatch(new RegExp(`ok +${name} for ${NODE.replace(/[()]/g, '\\$&')}: loads: `));
    expect(text).toMatch(/better-sqlite3 for Node .*: loads: SQLite 3\.\d+\.\d+ \(.*better_sqlite3\.node\)/);
    const electron = findElectronPackage(path.join(REPO, 'package.json'))!;
    if (!electron.installed) {
      // This machine: the electron package is installed, its binary is not (it cannot be downloaded here).
      expect(text).toContain(`WARN  Electron ${electron.version} (ABI ${electron.abi}): binary missing at ${electron.binary}`);
      expect(text).toContain(`skip  native modules under Electron ${electron.version}`);
      expect(text).toMatch(/fix: npm run setup:desktop/);
    } else {
      expect(text).toContain(`ok    Electron ${electron.version} (ABI ${electron.abi}): binary at ${electron.binary}`);
    }
    // The other sections, in the order a reader fixes them, each line with its status.
    const sections = out.filter((l) => /^[a-z]/.test(l) && !l.startsWith('library /'));
    expect(sections.slice(0, 5)).toEqual(['runtime', 'native modules', 'browser tests', 'postgresql', 'library']);
    expect(text).toMatch(new RegExp(`(ok   |WARN ) Chromium: `));
    expect(text).toMatch(/ {2}(ok|skip|ERROR) +sync target/);
    expect(text).toContain('ok    owner lock: free: no library.lock, no Sporeprint has the library open');
    expect(text).toContain('skip  models: no catalogue yet');
    expect(out.at(-1)).toMatch(/^(no problems found|\d+ errors?, \d+ warnings?)$/);
    // Warnings are ways of running that are not ready; only errors fail the command.
    expect(code).toBe(text.includes('ERROR') ? 1 : 0);
    expect(existsSync(library)).toBe(false);
  });

  it("names the library's owner while another process holds it, and the models of its catalogue", async () => {
    const library = path.join(tmp.dir, 'served-library');
    const server = await startServe(library);
    try {
      const { code, out } = await cli('--library', library, 'doctor');
      const text = out.join('\n');
      expect(text).toMatch(
        new RegExp(`ok {4}owner lock: in use by sporeprint serve \\(pid \\d+ on ${os.hostname()}, since [^,]+, heartbeat \\d+ s ago\\)`),
      );
      expect(text).toMatch(/ok {4}catalogue: .*catalog\.db: schema \d+/);
      expect(text).toContain('WARN  CLIP models: none installed');
      expect(text).toContain('fix: sporeprint model install Xenova/clip-vit-base-patch32');
      // Someone else holding the library is not a problem of this machine.
      expect(code).toBe(text.includes('ERROR') ? 1 : 0);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('--json prints the report with its counts', async () => {
    const { out } = await cli('--library', path.join(tmp.dir, 'json-library'), 'doctor', '--json');
    const report = JSON.parse(out.join('\n')) as DoctorReport;
    expect(report.errors).toBe(report.checks.filter((c) => c.status === 'error').length);
    expect(report.warnings).toBe(report.checks.filter((c) => c.status === 'warn').length);
    expect(report.checks.filter((c) => c.section === 'native modules' && c.name.endsWith(NODE)).map((c) => c.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
  });

  it.skipIf(!hasPostgres)("reaches the tests' PostgreSQL; an unreachable sync target is an error with its fix", async () => {
    const report = await runDoctor(
      context({ env: { SPOREPRINT_TEST_PG_URL: TEST_PG_URL, SPOREPRINT_PG_URL: 'postgres://curator@127.0.0.1:1/mindex' } }),
    );
    expect(report.checks.find((c) => c.name.startsWith("tests' server"))).toMatchObject({ status: 'ok' });
    const sync = named(report, 'sync target postgres://curator@127.0.0.1:1/mindex');
    expect(sync.status).toBe('error');
    expect(sync.detail).toMatch(/^unreachable: cannot connect to curator@127\.0\.0\.1:1\/mindex/);
    expect(sync.fix).toBeTruthy();
  });
});

describe('browser test checks', () => {
  const chromiumCheck = async (env: NodeJS.ProcessEnv) => (await browserChecks(context({ env }))).find((c) => c.name === 'Chromium')!;

  it('a missing Chromium is a warning that the browser tests skip, with the command that installs it', async () => {
    const missing = path.join(tmp.dir, 'no-chromium');
    expect(await chromiumCheck({ SPOREPRINT_CHROMIUM: missing })).toEqual({
      section: 'browser tests',
      name: 'Chromium',
      status: 'warn',
      detail: `not found at ${missing}: the browser tests skip`,
      fix: 'apt-get install chromium (or set SPOREPRINT_CHROMIUM to a Chromium binary)',
    });
  });

  it.skipIf(process.platform === 'win32')('a Chromium that does not run is an error with the reinstall command', async () => {
    const broken = path.join(tmp.dir, 'broken-chromium');
    writeFileSync(broken, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const c = await chromiumCheck({ SPOREPRINT_CHROMIUM: broken });
    expect(c).toMatchObject({ status: 'error', fix: 'apt-get install --reinstall chromium' });
    expect(c.detail).toContain(`${broken} does not run`);
  });

  it.skipIf(!existsSync(chromiumPath(process.env)))("this machine's Chromium: its version, from the binary itself", async () => {
    const c = await chromiumCheck(process.env);
    expect(c.status).toBe('ok');
    expect(c.detail).toMatch(new RegExp(`^Chromium \\d+\\.[\\d.]+ .*\\(${chromiumPath(process.env)}\\)$`));
  });

  it('a checkout without the UI build says which file is missing and to run npm run build', async () => {
    const checks = await browserChecks(context({ checkoutRoot: tmp.dir, env: {} }));
    expect(checks.find((c) => c.name === 'UI build')).toMatchObject({
      status: 'warn',
      detail: `${path.join(tmp.dir, 'out', 'renderer', 'index.html')} is missing: sporeprint serve and the browser tests need it`,
      fix: 'npm run build',
    });
    // Outside a checkout (the packaged app) the contributor's checks are not run at all.
    expect(await browserChecks(context({ checkoutRoot: null }))).toEqual([]);
  });
});

describe.skipIf(process.platform === 'win32')('sporeprint doctor in a checkout, before and after npm run setup:desktop', () => {
  let checkout: ScratchCheckout;
  beforeAll(() => {
    checkout = makeScratchCheckout();
  });
  afterAll(() => checkout?.cleanup());
  const inCheckout = () => context({ from: path.join(checkout.root, 'package.json'), checkoutRoot: checkout.root, env: checkout.env });

  it('before: the Electron binary and the Electron build of better-sqlite3 are missing, with the command that fetches them', async () => {
    const report = await runDoctor(inCheckout());
    const electron = named(report, `Electron ${checkout.electronVersion} (ABI ${checkout.electronAbi})`);
    expect(electron).toMatchObject({ status: 'warn', fix: 'npm run setup:desktop' });
    const target = `Electron ${checkout.electronVersion} (ABI ${checkout.electronAbi}, ${process.platform}-${process.arch})`;
    expect(named(report, `better-sqlite3 for ${target}`)).toMatchObject({ status: 'warn', fix: 'npm run setup:desktop' });
    expect(named(report, `native modules under ${target}`)).toMatchObject({ status: 'skipped' });
  });

  it('after: Electron is there and every native module loads inside it', async () => {
    const lines: string[] = [];
    const code = await setupDesktop({
      root: checkout.root,
      env: checkout.env,
      force: false,
      offline: checkout.downloads,
      out: { line: (l) => lines.push(l) },
    });
    expect(code, lines.join('\n')).toBe(0);
    const report = await runDoctor(inCheckout());
    expect(named(report, `Electron ${checkout.electronVersion} (ABI ${checkout.electronAbi})`).status).toBe('ok');
    const target = `Electron ${checkout.electronVersion} (ABI ${checkout.electronAbi}, ${process.platform}-${process.arch})`;
    for (const name of MODULES) expect(named(report, `${name} for ${target}`).status).toBe('ok');
    expect(named(report, `better-sqlite3 for ${target}`).detail).toContain('.sporeprint-native');
  });
});

describe('diagnostics as the app sees them (the runtime simulated)', () => {
  const packaged: NativeRuntime = { ...currentRuntime(), electron: '45.4.1', execPath: '/opt/Sporeprint/sporeprint' };

  it('a packaged app: Electron is the runtime, its modules load in process, the Node side and contributor checks are not its business', async () => {
    const report = await runDoctor(context({ runtime: packaged, checkoutRoot: null }));
    expect(report.checks[0]).toMatchObject({ name: `Electron 45.4.1 (ABI ${process.versions.modules})`, status: 'ok' });
    for (const name of MODULES) expect(named(report, `${name} for Electron 45.4.1 (ABI ${process.versions.modules})`).status).toBe('ok');
    expect(named(report, 'native modules for Node').status).toBe('skipped');
    expect(report.checks.some((c) => c.section === 'browser tests' || c.name.startsWith("tests' server"))).toBe(false);
  });

  it('Electron from a checkout without the Electron build: an error naming the file and the command', async () => {
    const dev = { ...packaged, execPath: path.join(tmp.dir, 'node_modules', 'electron', 'dist', 'electron') };
    const report = await runDoctor(context({ runtime: dev, checkoutRoot: null }));
    const sqlite = named(report, `better-sqlite3 for Electron 45.4.1 (ABI ${process.versions.modules})`);
    expect(sqlite.status).toBe('error');
    expect(sqlite.detail).toContain(`.sporeprint-native${path.sep}better-sqlite3-v`);
    expect(sqlite.fix).toBe('npm run setup:desktop');
    expect(report.errors).toBeGreaterThan(0);
  });
});

describe('library checks', () => {
  it('an existing library: its catalogue schema, its lock, and the models (a missing CLIP model says how to get one)', async () => {
    const lib = openTempLibrary();
    try {
      const report = await lib.lib.invoke('diagnostics.get', {});
      expect(report.library).toBe(lib.dir);
      expect(named(report, 'catalogue').detail).toMatch(/catalog\.db: schema \d+$/);
      expect(named(report, 'owner lock').section).toBe('library');
      expect(named(report, 'CLIP models')).toMatchObject({ status: 'warn' });
      expect(named(report, 'CLIP models').fix).toContain('sporeprint model install Xenova/clip-vit-base-patch32');
      // The app's diagnostics leave the contributor's checks to `sporeprint doctor`.
      expect(report.checks.some((c) => c.section === 'browser tests')).toBe(false);
    } finally {
      await lib.cleanup();
    }
  });

  it('a catalogue newer than this Sporeprint, an unreadable config.json and a file given as the library are errors', async () => {
    const dir = path.join(tmp.dir, 'newer');
    const lib = openTempLibrary();
    lib.lib.db.pragma('user_version = 999');
    await lib.lib.close();
    const newer = await runDoctor(context({ libraryDir: lib.dir, checkoutRoot: null }));
    expect(named(newer, 'catalogue')).toMatchObject({ status: 'error', fix: 'update Sporeprint' });
    await lib.cleanup();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config.json'), '{ not json');
    const broken = await runDoctor(context({ libraryDir: dir, checkoutRoot: null }));
    expect(named(broken, 'settings').status).toBe('error');
    expect(named(broken, 'settings').detail).toContain('config is not valid JSON');
    const file = path.join(tmp.dir, 'a-file');
    writeFileSync(file, '');
    expect(named(await runDoctor(context({ libraryDir: file, checkoutRoot: null })), 'folder')).toMatchObject({ status: 'error' });
  });
});
