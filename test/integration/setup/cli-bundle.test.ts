// The built CLI (out/cli, built here in about a second): bin.mjs runs it when fresh, its worker entries ingest,
// and it answers like the TypeScript source does (doctor included).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../src-shared/api/doctor';
import { checkoutRootOf } from '../../../src-main/cli/commands/doctor';
import { findElectronPackage } from '../../../src-main/core/runtime/electron-package';
import { buildCli, CLI_BUNDLE } from '../../../src-main/setup/build-cli';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';

const root = path.resolve(import.meta.dirname, '../../..');

/** What NODE_V8_COVERAGE writes: per script, each function's ranges, the first being the whole function. */
interface V8Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}
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
    expect.arrayContaining([CLI_BUNDLE, `${CLI_BUNDLE}.cache`, 'sources.json', 'decode-worker.js', 'library-host.js']),
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
      `process.on('exit', () => { const names = new Set(Object.keys(require.cache).map((f) => (f.match(/node_modules[\\/\\\\]((?:@[^\\/\\\\]+[\\/\\\\])?[^\\/\\\\]+)/) || [])[1]).filter(Boolean)); process.stderr.write('LOADED ' + JSON.stringify([...names].sort()) + '\\n'); process.stderr.write('SQLITE ' + JSON.stringify(Object.keys(require.cache).filter((f) => /better-sqlite3/.test(f)).map((f) => f.split(/better-sqlite3[\\/\\\\]/).pop())) + '\\n'); });`,
    );
    const run = spawnSync(process.execPath, ['--require', preload, bin, '--library', library, 'stats', '--json'], {
      env: { ...process.env, SPOREPRINT_CLI: 'bundle' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const loaded = JSON.parse(/LOADED (.*)/.exec(run.stderr)![1]!) as string[];
    expect(loaded).toContain('better-sqlite3');
    // Of better-sqlite3 only its binary, found where its own lookup finds it: its JavaScript is in the bundle.
    expect(JSON.parse(/SQLITE (.*)/.exec(run.stderr)![1]!)).toEqual([path.join('build', 'Release', 'better_sqlite3.node')]);
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

  it('runs stats without evaluating the other domains (the facade imports a domain on its first method call)', () => {
    // The bundle is one file: a module reached only through import() is a function esbuild runs on that import,
    // named after the module's path. V8's coverage of the run says which of those ran; the others run at start.
    const coverage = path.join(temp.dir, 'stats-coverage');
    const run = spawnSync(process.execPath, [bin, '--library', library, 'stats', '--json'], {
      env: { ...process.env, SPOREPRINT_CLI: 'bundle', NODE_V8_COVERAGE: coverage },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const bundle = readFileSync(path.join(root, 'out', 'cli', CLI_BUNDLE), 'utf8');
    const modules = [...bundle.matchAll(/^\/\/ ((?:src-main|src-shared)\/\S+\.ts)$/gm)].map((m) => m[1]!);
    const lazy = new Set([...bundle.matchAll(/^ {2}"((?:src-main|src-shared)\/\S+\.ts)"\(\) \{$/gm)].map((m) => m[1]!));
    expect(lazy.size).toBeGreaterThan(100);
    const ranLazily = readdirSync(coverage).flatMap((file) =>
      (JSON.parse(readFileSync(path.join(coverage, file), 'utf8')) as V8Coverage).result
        .filter((script) => script.url.endsWith(CLI_BUNDLE))
        .flatMap((script) => script.functions.filter((f) => lazy.has(f.functionName) && f.ranges[0]!.count > 0).map((f) => f.functionName)),
    );
    const evaluated = new Set([...modules.filter((m) => !lazy.has(m)), ...ranLazily]);
    expect(evaluated).toContain('src-main/core/images/library-handlers.ts');
    expect(evaluated).toContain('src-main/core/catalog/library-stats.ts');
    // Nor the image listing beside the stats: its handlers, pages, neighbours and the loupe's originals.
    const others =
      /^src-main\/(?:core\/(?:sync|export|search|sources|duplicates|doctor|imaging|embed|vector|ingest)\/|core\/images\/(?:handlers|original-for-display)\.ts|core\/catalog\/image-(?:pages|neighbours|positions)\.ts|server\/|workers\/)/;
    expect([...evaluated].filter((m) => others.test(m))).toEqual([]);
    // zod's error messages in one language: a `{ z }` import (a namespace used as a value) pulled in all 64
    // locales, 550 kB that every command compiled at start-up; a namespace import leaves them to tree shaking.
    const locales = [...bundle.matchAll(/zod\/v4\/locales\/([\w-]+)\.js/g)].map((m) => m[1]);
    expect(new Set(locales)).toEqual(new Set(['en', 'index']));
  });

  it('runs the code cache, and the same without it when the cache is damaged', () => {
    const traced = (mode: 'bundle') => {
      const run = spawnSync(process.execPath, [bin, '--library', library, 'stats', '--json'], {
        env: { ...process.env, SPOREPRINT_CLI: mode, SPOREPRINT_CODE_CACHE_TRACE: '1' },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return { out: JSON.parse(run.stdout) as unknown, cache: /code cache: (.*)/.exec(run.stderr)?.[1] };
    };
    const cached = traced('bundle');
    expect(cached.cache).toBe('used');
    const cachePath = path.join(root, 'out', 'cli', `${CLI_BUNDLE}.cache`);
    const bytes = readFileSync(cachePath);
    try {
      const damaged = Buffer.from(bytes);
      damaged[damaged.length >> 1]! ^= 0xff;
      writeFileSync(cachePath, damaged);
      expect(traced('bundle')).toEqual({ out: cached.out, cache: 'corrupt' });
    } finally {
      writeFileSync(cachePath, bytes);
    }
  });

  it('is not run once a source it was built from changed or is gone, nor without its list of sources', () => {
    const sourcesPath = path.join(root, 'out', 'cli', 'sources.json');
    const listed = readFileSync(sourcesPath, 'utf8');
    const { sources } = JSON.parse(listed) as { sources: string[] };
    expect(sources).toEqual(expect.arrayContaining(['src-main/cli/main.ts', 'src-main/core/library.ts', 'src-shared/api.ts']));
    expect(sources).toContain('src-main/workers/decode-worker.ts');
    const refused = () => {
      const run = sporeprint('bundle', 'stats');
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/SPOREPRINT_CLI=bundle but .* is missing or older than the sources/);
    };
    const edited = path.join(
      root,
      sources.find((f) => f.endsWith('library-stats.ts'))!,
    );
    const { atime, mtime } = statSync(edited);
    try {
      utimesSync(edited, atime, new Date(Date.now() + 60_000));
      refused();
    } finally {
      utimesSync(edited, atime, mtime);
    }
    expect(sporeprint('bundle', 'stats').code).toBe(0);
    try {
      writeFileSync(sourcesPath, JSON.stringify({ sources: [...sources, 'src-main/core/gone-since.ts'] }));
      refused();
      rmSync(sourcesPath);
      refused();
    } finally {
      writeFileSync(sourcesPath, listed);
    }
    expect(sporeprint('bundle', 'stats').code).toBe(0);
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
    expect(checkoutRootOf(path.join(root, 'out/cli', CLI_BUNDLE))).toBe(root);
    expect(checkoutRootOf('/nowhere/a/b/c.js')).toBeNull();
  });
});
