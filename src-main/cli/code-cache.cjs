// Runs the built CLI (one CommonJS file) with V8's code cache: the bytecode of every function a `stats` run compiled,
// saved beside the bundle at build time, so a start deserializes it instead of parsing 1.2 MB and compiling each
// function on first call. The cache is used only when its header names this Node and V8 and the SHA-256 of both the
// bundle and the cache bytes match; anything else (missing, stale, truncated, corrupt) compiles from source as if
// there were no cache. Plain CommonJS: bin.mjs loads it before any TypeScript can, and Node's built-ins required from
// CommonJS cost nothing more, where an ES import of node:fs builds its ES facade by reading every lazy getter
// (fs.promises, the stream classes): ~5 % of a `stats` start.
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const MAGIC = 'sporeprint-code-cache';
const FORMAT = 1;

/** The path of a bundle's code cache. */
function codeCachePathOf(bundle) {
  return `${bundle}.cache`;
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Node's CommonJS wrapper, so the bundle sees exports, require, module, __filename and __dirname. */
function wrap(source) {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

/** What runtime a cache was made for: V8 rejects another's, and the header says why before V8 is asked. */
function runtimeTag() {
  return `node ${process.version} v8 ${process.versions.v8} ${process.arch}`;
}

/**
 * The cached data for this bundle's source, or why there is none: 'missing', 'unreadable', 'malformed', 'runtime'
 * (made by another Node or V8), 'stale' (made from another bundle) or 'corrupt' (its bytes do not match their hash).
 */
function readCodeCache(cachePath, source) {
  let raw;
  try {
    raw = readFileSync(cachePath);
  } catch (err) {
    return { data: null, reason: err.code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  const newline = raw.indexOf(0x0a);
  const header = newline > 0 ? raw.subarray(0, newline).toString('latin1').split(' ') : [];
  // MAGIC FORMAT node <version> v8 <version> <arch> <source sha256> <data sha256>
  if (header.length !== 9 || header[0] !== MAGIC || header[1] !== String(FORMAT)) return { data: null, reason: 'malformed' };
  if (header.slice(2, 7).join(' ') !== runtimeTag()) return { data: null, reason: 'runtime' };
  if (header[7] !== sha256(source)) return { data: null, reason: 'stale' };
  const data = raw.subarray(newline + 1);
  if (header[8] !== sha256(data)) return { data: null, reason: 'corrupt' };
  return { data, reason: null };
}

/**
 * Compiles the bundle (with its code cache when it is valid) and runs it as the main program with these arguments.
 * Returns the compiled script and what happened to the cache: 'used', 'rejected by V8', or why it was not offered.
 */
function runBundle(bundle, { argv = process.argv.slice(2), cachePath = codeCachePathOf(bundle) } = {}) {
  const sourceBytes = readFileSync(bundle);
  // SPOREPRINT_CODE_CACHE=off compiles from source: what a start costs without the cache (bench:cli).
  const cache = process.env.SPOREPRINT_CODE_CACHE === 'off' ? { data: null, reason: 'off' } : readCodeCache(cachePath, sourceBytes);
  const script = new vm.Script(wrap(sourceBytes.toString('utf8')), {
    filename: bundle,
    ...(cache.data ? { cachedData: cache.data } : {}),
    // import() inside the bundle (node: built-ins, external packages) goes through Node's own loader.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const outcome = cache.data ? (script.cachedDataRejected ? 'rejected by V8' : 'used') : cache.reason;
  if (process.env.SPOREPRINT_CODE_CACHE_TRACE) process.stderr.write(`code cache: ${outcome}\n`);
  // main.ts runs its command when argv[1] names the CLI; the bundle is the program now.
  process.argv = [process.argv[0], bundle, ...argv];
  const module = { exports: {}, filename: bundle, id: '.', path: path.dirname(bundle) };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return { script, sourceBytes, outcome };
}

/** Writes the cache of a script run by runBundle: call it after the run, so every function the run compiled is in. */
function writeCodeCache(cachePath, script, sourceBytes) {
  const data = script.createCachedData();
  const header = [MAGIC, FORMAT, runtimeTag(), sha256(sourceBytes), sha256(data)].join(' ');
  writeFileSync(cachePath, Buffer.concat([Buffer.from(`${header}\n`, 'latin1'), data]));
}

module.exports = { codeCachePathOf, readCodeCache, runBundle, writeCodeCache };
