#!/usr/bin/env node
// The `sporeprint` executable: the built CLI (out/cli, `npm run build:cli`) when it is newer than every source
// file, else the TypeScript source through tsx, so a checkout never runs a stale build. SPOREPRINT_CLI=source
// forces the source; SPOREPRINT_CLI=bundle insists on the bundle (an error when it is missing or stale).
import { existsSync, readdirSync, statSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function changedSince(dir, ms) {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|tsx|mjs|json)$/.test(entry.name) && statSync(path.join(entry.parentPath, entry.name)).mtimeMs > ms)
      return true;
  }
  return false;
}

function freshBundle() {
  if (process.env.SPOREPRINT_CLI === 'source') return null;
  const bundle = path.join(root, 'out', 'cli', 'sporeprint.js');
  if (!existsSync(bundle)) return null;
  const builtMs = statSync(bundle).mtimeMs;
  const stale = ['src-main', 'src-shared'].some((dir) => changedSince(path.join(root, dir), builtMs));
  return stale ? null : bundle;
}

const bundle = freshBundle();
if (!bundle && process.env.SPOREPRINT_CLI === 'bundle') {
  process.stderr.write(
    `error: SPOREPRINT_CLI=bundle but ${path.join(root, 'out', 'cli', 'sporeprint.js')} is missing or older than the sources: run npm run build:cli\n`,
  );
  process.exit(1);
}
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
