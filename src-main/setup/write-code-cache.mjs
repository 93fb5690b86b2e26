// Build step: runs the CLI bundle once with the given arguments and, as it exits, saves V8's code cache of every
// function that run compiled beside the bundle (see src-main/cli/code-cache.cjs).
// usage: node write-code-cache.mjs BUNDLE COMMAND [ARGS...]
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const { codeCachePathOf, runBundle, writeCodeCache } = createRequire(import.meta.url)('../cli/code-cache.cjs');

const [bundle, ...argv] = process.argv.slice(2);
const cachePath = codeCachePathOf(path.resolve(bundle));
// The run compiles from source: an earlier cache must not decide what this one holds.
rmSync(cachePath, { force: true });
const run = runBundle(path.resolve(bundle), { argv, cachePath });
process.on('exit', (code) => {
  if (code === 0) writeCodeCache(cachePath, run.script, run.sourceBytes);
});
