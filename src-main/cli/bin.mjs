#!/usr/bin/env node
// The `sporeprint` executable: the built CLI (out/cli, `npm run build:cli`) when it is newer than every source
// file it was built from, else the TypeScript source through tsx, so a checkout never runs a stale build.
// SPOREPRINT_CLI=source forces the source; SPOREPRINT_CLI=bundle insists on the bundle (an error when it is
// missing or stale).
import { createRequire } from 'node:module';

// Built-ins through require: an ES import of node:fs or node:process builds a facade that reads every export.
const require = createRequire(import.meta.url);
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'out', 'cli');
const bundlePath = path.join(outDir, 'sporeprint.cjs');

/**
 * The bundle when it exists and no source file it was built from (out/cli/sources.json, written by the build) has
 * changed or gone since: a stat per file the bundle holds (~330), not a walk of src-main and src-shared.
 */
function freshBundle() {
  if (process.env.SPOREPRINT_CLI === 'source') return null;
  const built = statSync(bundlePath, { throwIfNoEntry: false });
  if (!built) return null;
  let sources;
  try {
    ({ sources } = JSON.parse(readFileSync(path.join(outDir, 'sources.json'), 'utf8')));
  } catch {
    // A build without its list of sources (an older build, or one cut short) cannot be shown to be fresh.
    return null;
  }
  const stale = sources.some((file) => {
    // Concatenated, not path.join: ~330 joins cost more than the stats on a loaded machine.
    const stat = statSync(`${root}/${file}`, { throwIfNoEntry: false });
    return !stat || stat.mtimeMs > built.mtimeMs;
  });
  return stale ? null : bundlePath;
}

const bundle = freshBundle();
if (!bundle && process.env.SPOREPRINT_CLI === 'bundle') {
  process.stderr.write(`error: SPOREPRINT_CLI=bundle but ${bundlePath} is missing or older than the sources: run npm run build:cli\n`);
  process.exit(1);
}
if (bundle) {
  require('./code-cache.cjs').runBundle(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
