// The built CLI (out/cli, built here in about a second): bin.mjs runs it when fresh, its worker entries ingest,
// and it answers like the TypeScript source does (doctor included).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../src-shared/api/doctor';
import { checkoutRootOf } from '../../../src-main/cli/commands/doctor';
import { findElectronPackage } from '../../../src-main/core/runtime/electron-package';
import { buildCli } from '../../../src-main/setup/build-cli';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';

const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'src-main/cli/bin.mjs');
let temp: ReturnType<typeof makeTempDir>;
let library: string;
let photos: string;

function sporeprint(mode: 'bundle' | 'source', ...args: string[]) {
  const run = spawnSync(process.execPath, [bin, '--library', library, ...args], {
    env: { ...process.env, SPOREPRINT_CLI: mode },
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

beforeAll(async () => {
  temp = makeTempDir('sporeprint-cli-bundle-');
  library = path.join(temp.dir, 'library');
  photos = path.join(temp.dir, 'photos', 'Boletus edulis');
  mkdirSync(photos, { recursive: true });
  for (const seed of [21, 22, 23]) writeFileSync(path.join(photos, `${seed}.jpg`), await makePhoto(seed, { width: 640, height: 480 }));
  const built = await buildCli(root);
  expect(built.files.map((f) => path.basename(f))).toEqual(
    expect.arrayContaining(['sporeprint.js', 'decode-worker.js', 'library-host.js']),
  );
});
afterAll(() => temp?.cleanup());

describe('the built CLI', () => {
  it('ingests through its bundled decode workers and sharp loaded on first use', () => {
    const ingest = sporeprint('bundle', 'ingest', photos, '--workers', '1');
    expect(ingest.err).not.toMatch(/error/i);
    expect(ingest.code).toBe(0);
  });

  it('answers stats and duplicates exactly as the source does', () => {
    const bundled = sporeprint('bundle', 'stats', '--json');
    const source = sporeprint('source', 'stats', '--json');
    expect(bundled.code).toBe(0);
    expect(JSON.parse(bundled.out)).toMatchObject({ images: 3, locations: 3 });
    expect(JSON.parse(bundled.out)).toEqual(JSON.parse(source.out));
    const dupBundled = sporeprint('bundle', 'duplicates', '--json');
    expect(dupBundled.code).toBe(0);
    expect(JSON.parse(dupBundled.out)).toEqual(JSON.parse(sporeprint('source', 'duplicates', '--json').out));
  });

  it('runs stats without loading sharp, onnxruntime, hnswlib, pg or the logger (only the catalogue driver)', () => {
    // A preload that prints, on exit, every package that was required from node_modules.
    const preload = path.join(temp.dir, 'loaded-packages.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => { const names = new Set(Object.keys(require.cache).map((f) => (f.match(/node_modules[\\/\\\\]((?:@[^\\/\\\\]+[\\/\\\\])?[^\\/\\\\]+)/) || [])[1]).filter(Boolean)); process.stderr.write('LOADED ' + JSON.stringify([...names].sort()) + '\\n'); });`,
    );
    const run = spawnSync(process.execPath, ['--require', preload, bin, '--library', library, 'stats', '--json'], {
      env: { ...process.env, SPOREPRINT_CLI: 'bundle' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const loaded = JSON.parse(/LOADED (.*)/.exec(run.stderr)![1]!) as string[];
    expect(loaded).toContain('better-sqlite3');
    // A reader's log writes nowhere, so pino and its file stream stay unloaded too.
    for (const heavy of ['sharp', 'onnxruntime-node', 'hnswlib-node', '@huggingface/transformers', 'pg', 'pino', 'rotating-file-stream'])
      expect(loaded).not.toContain(heavy);
  });

  it("runs doctor as the source does: Node's native modules load, the Electron side says what is missing and its fix", () => {
    const report = (mode: 'bundle' | 'source') => {
      const run = sporeprint(mode, 'doctor', '--json');
      expect(run.code, run.err).toBe(run.out.includes('"status": "error"') ? 1 : 0);
      return JSON.parse(run.out) as DoctorReport;
    };
    const bundled = report('bundle');
    const node = `Node ${process.versions.node} (ABI ${process.versions.modules})`;
    for (const name of ['better-sqlite3', 'sharp', 'hnswlib-node', 'onnxruntime-node']) {
      expect(bundled.checks.find((c) => c.name === `${name} for ${node}`)?.status).toBe('ok');
    }
    // The bundle finds the checkout (two folders up from out/cli), so it reports the desktop side too.
    const electron = findElectronPackage(path.join(root, 'package.json'))!;
    const electronCheck = bundled.checks.find((c) => c.name === `Electron ${electron.version} (ABI ${electron.abi})`)!;
    expect(electronCheck.status).toBe(electron.installed ? 'ok' : 'warn');
    if (!electron.installed) expect(electronCheck).toMatchObject({ fix: 'npm run setup:desktop' });
    expect(bundled.checks.some((c) => c.section === 'browser tests')).toBe(true);
    const shape = (r: DoctorReport) => r.checks.map((c) => `${c.section} | ${c.name} | ${c.status}`);
    expect(shape(bundled)).toEqual(shape(report('source')));
  });

  it('runs stats without compiling the other domains (the facade imports a domain on its first method call)', () => {
    // A module hook that notes every file the bundle loads.
    const hooks = path.join(temp.dir, 'loaded-files-hooks.mjs');
    const list = path.join(temp.dir, 'loaded-files.txt');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(list)}, r.url + '\\n'); return r; }\n`,
    );
    const register = path.join(temp.dir, 'register-hooks.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, bin, '--library', library, 'stats', '--json'], {
      env: { ...process.env, SPOREPRINT_CLI: 'bundle' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const outDir = path.join(root, 'out', 'cli');
    const loaded = [...new Set(readFileSync(list, 'utf8').trim().split('\n'))]
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url))
      .filter((file) => file.startsWith(outDir));
    const code = loaded.map((file) => readFileSync(file, 'utf8')).join('\n');
    // Where each is defined, not merely named (the facade's table names every domain's handlers).
    const defines = (name: string) => new RegExp(`(?:var|let|const|function)\\s+${name}\\b`);
    expect(code).toMatch(defines('imagesHandlers'));
    // zod's error messages in one language: a `{ z }` import (a namespace used as a value) pulled in all 64
    // locales, 550 kB that every command compiled at start-up; a namespace import leaves them to tree shaking.
    const locales = [...code.matchAll(/zod\/v4\/locales\/([\w-]+)\.js/g)].map((m) => m[1]);
    expect(new Set(locales)).toEqual(new Set(['en']));
    for (const other of [
      'syncHandlers',
      'exportHandlers',
      'searchHandlers',
      'sourcesHandlers',
      'duplicatesHandlers',
      'runDoctor',
      'startServer',
    ])
      expect(code, other).not.toMatch(defines(other));
  });

  it('reports a bad command the same way', () => {
    const bundled = sporeprint('bundle', 'no-such-command');
    expect(bundled.code).toBe(2);
    expect(bundled.err).toMatch(/unknown command "no-such-command"/);
  });
});

describe('checkoutRootOf', () => {
  it('finds the checkout from the doctor source and from the built bundle', () => {
    expect(checkoutRootOf(path.join(root, 'src-main/cli/commands/doctor.ts'))).toBe(root);
    expect(checkoutRootOf(path.join(root, 'out/cli/sporeprint.js'))).toBe(root);
    expect(checkoutRootOf('/nowhere/a/b/c.js')).toBeNull();
  });
});
