// Builds the CLI into out/cli as plain JavaScript (esbuild, ~1 s): `sporeprint` then starts without tsx's
// transpile-on-load, and the heavy native packages only a few commands use load on first use, not at start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { codeCachePathOf } from '../cli/code-cache.cjs';

/** The worker entries the CLI's jobs start; each is built beside the CLI, where worker-entry.ts looks first. */
const WORKERS = ['decode-worker', 'embed-worker', 'hamming-worker', 'display-worker', 'library-host'] as const;

/**
 * Packages that cost 50-300 ms to import and that `stats`, `search` or `duplicates` never touch (sharp decodes,
 * pg syncs, exifr and fast-xml-parser ingest). In the bundle each becomes a stand-in that requires the real
 * package the first time a member is used.
 */
/**
 * Packages loaded on first use. hnswlib-node joined them when `stats` was found loading it (the vector index
 * module sits on the library's open path): a native addon read and linked on every command that never searches.
 * pino and rotating-file-stream load only for a log that writes somewhere (the owner's file, --verbose): a reader's
 * log is silent and needs neither.
 */
export const LAZY_PACKAGES = ['sharp', 'pg', 'exifr', 'fast-xml-parser', 'hnswlib-node', 'pino', 'rotating-file-stream'] as const;

/** Loaded from node_modules at run time, never bundled. */
const EXTERNAL_PACKAGES = [
  'better-sqlite3',
  'hnswlib-node',
  'onnxruntime-node',
  '@huggingface/transformers',
  'pino',
  'rotating-file-stream',
];

export const CLI_BUNDLE = 'sporeprint.cjs';
/**
 * The checkout's source files the build read (src-main and src-shared), relative to the checkout: bin.mjs stats
 * these to tell a fresh build from a stale one, instead of walking both folders (~360 files, 20-25 ms of CPU and
 * 40-80 ms of wall time at every start).
 */
export const CLI_SOURCES = 'sources.json';

export interface CliBuild {
  outDir: string;
  entry: string;
  files: string[];
}

export async function buildCli(root: string, outDir = path.join(root, 'out', 'cli')): Promise<CliBuild> {
  rmSync(outDir, { recursive: true, force: true });
  const lazy = await lazyPackagesPlugin(root);
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Pure-JS dependencies are bundled (zod alone is ~100 ES module files to resolve at every start); native ones
    // cannot be, and pino resolves its worker files by path.
    external: [...EXTERNAL_PACKAGES],
    outdir: outDir,
    entryNames: '[name]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [lazy],
  } satisfies BuildOptions;
  const [cli, workers] = await Promise.all([
    // The CLI is one CommonJS file, so that code-cache.cjs can run it with V8's code cache (Node 20 has none for
    // ES modules) and a start opens one file instead of resolving ~30 chunks. A module reached only through
    // import() stays lazy: esbuild wraps it in a function run on that first import.
    build({
      ...common,
      // better-sqlite3's JavaScript is bundled too (resolving its ~12 files cost ~10 % of a `stats` start); only its
      // binary is loaded from node_modules, found by its own `bindings` lookup (sqliteBindingsPlugin).
      external: EXTERNAL_PACKAGES.filter((name) => name !== 'better-sqlite3'),
      plugins: [lazy, sqliteBindingsPlugin()],
      entryPoints: { sporeprint: path.join(root, 'src-main/cli/main.ts') },
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      define: { 'import.meta.url': '__sporeprintBundleUrl' },
      // After the strict-mode directive esbuild writes, which must stay the first statement.
      banner: { js: `"use strict";\nconst __sporeprintBundleUrl = require('node:url').pathToFileURL(__filename).href;` },
    }),
    build({
      ...common,
      entryPoints: Object.fromEntries(WORKERS.map((name) => [name, path.join(root, 'src-main/workers', `${name}.ts`)])),
      format: 'esm',
      splitting: true,
      chunkNames: 'chunk-[hash]',
    }),
  ]);
  const inputs = [...Object.keys(cli.metafile.inputs), ...Object.keys(workers.metafile.inputs)];
  const sources = [...new Set(inputs.map((f) => path.relative(root, path.resolve(root, f)).split(path.sep).join('/')))]
    .filter((f) => /^src-(?:main|shared)\//.test(f))
    .sort();
  writeFileSync(path.join(outDir, CLI_SOURCES), `${JSON.stringify({ sources }, null, 1)}\n`);
  const entry = path.join(outDir, CLI_BUNDLE);
  writeCodeCacheOf(root, entry);
  const files = [
    ...[cli, workers].flatMap((r) => Object.keys(r.metafile.outputs).map((f) => path.resolve(root, f))),
    path.join(outDir, CLI_SOURCES),
    codeCachePathOf(entry),
  ];
  return { outDir, entry, files };
}

/**
 * Saves the bundle's V8 code cache from a `stats` run on an empty library made for it (the path every reading
 * command shares: arguments, the library's open, the API's schemas, a query), so those functions start compiled.
 */
function writeCodeCacheOf(root: string, bundle: string): void {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-code-cache-'));
  try {
    const library = path.join(temp, 'library');
    const run = (args: string[]) => {
      const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, SPOREPRINT_LIBRARY: library } });
      if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    };
    // A writer makes the catalogue, so the cached run takes a reader's real path (not the empty in-memory one).
    run([bundle, 'rescore-quality']);
    run([path.join(root, 'src-main/setup/write-code-cache.mjs'), bundle, 'stats']);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * better-sqlite3 finds its binary with the `bindings` package, which takes the package's folder from the caller's
 * file: inside the bundle that would be out/cli. The stand-in names node_modules/better-sqlite3 as that folder and
 * leaves the search (build/Release and the rest, in bindings' order) to the real `bindings`, required from there.
 */
function sqliteBindingsPlugin(): Plugin {
  return {
    name: 'sqlite-bindings',
    setup(b) {
      b.onResolve({ filter: /^bindings$/ }, (args) =>
        /[\\/]better-sqlite3[\\/]/.test(args.importer) ? { path: 'bindings', namespace: 'sqlite-bindings' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'sqlite-bindings' }, () => ({
        contents: [
          `const { createRequire } = require('node:module');`,
          `const path = require('node:path');`,
          `module.exports = (name) => {`,
          `  const fromBundle = createRequire(__filename);`,
          `  const moduleRoot = path.dirname(fromBundle.resolve('better-sqlite3/package.json'));`,
          `  const fromPackage = createRequire(path.join(moduleRoot, 'package.json'));`,
          `  return fromPackage('bindings')({ bindings: name, module_root: moduleRoot });`,
          `};`,
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}

/**
 * Replaces `import x from 'sharp'` (and named imports) by a module whose exports forward to the real package,
 * required on first use. Named exports are listed by loading the package once at build time.
 */
async function lazyPackagesPlugin(root: string): Promise<Plugin> {
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  const exportNames = new Map<string, string[]>();
  for (const name of LAZY_PACKAGES) {
    const loaded = requireFromRoot(name) as Record<string, unknown>;
    exportNames.set(
      name,
      Object.keys(loaded).filter((key) => key !== 'default' && key !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(key)),
    );
  }
  const filter = new RegExp(`^(${LAZY_PACKAGES.map((n) => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-packages',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-package' }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
        contents: lazyModuleSource(args.path, exportNames.get(args.path) ?? []),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/** The stand-in module for one package: a default export and each named one, all forwarding on first use. */
export function lazyModuleSource(name: string, names: readonly string[]): string {
  return [
    `import { createRequire } from 'node:module';`,
    `const packageName = ${JSON.stringify(name)};`,
    `let loaded;`,
    `const load = () => (loaded ??= createRequire(import.meta.url)(packageName));`,
    // Under Node's ESM rules the default export of a CommonJS package is module.exports; of an ES module, its default.
    `const loadDefault = () => { const m = load(); return Object.prototype.toString.call(m) === '[object Module]' ? m.default : m; };`,
    // A bound function has no own 'prototype', so the proxy may answer every property from the real value.
    `const standIn = (resolve) => new Proxy(function () {}.bind(null), {`,
    `  apply: (_t, self, args) => Reflect.apply(resolve(), self, args),`,
    `  construct: (_t, args) => Reflect.construct(resolve(), args),`,
    `  get: (_t, key) => resolve()[key],`,
    `  set: (_t, key, value) => Reflect.set(resolve(), key, value),`,
    `  has: (_t, key) => key in resolve(),`,
    `});`,
    `export default standIn(loadDefault);`,
    ...names.map((n) => `export const ${n} = standIn(() => load()[${JSON.stringify(n)}]);`),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const started = performance.now();
  const built = await buildCli(root);
  process.stdout.write(
    `built ${path.relative(root, built.entry)} (${built.files.length} files) in ${Math.round(performance.now() - started)} ms\n`,
  );
}
