// The CLI bundle's V8 code cache (src-main/cli/code-cache.cjs): used when it was made from this bundle by this Node,
// and otherwise (missing, stale, corrupt, malformed, another runtime's, refused by V8) the bundle compiles from its
// source and runs the same. Each run is a child process, as `sporeprint` is.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { codeCachePathOf, readCodeCache } from '../../../src-main/cli/code-cache.cjs';
import { makeTempDir } from '../../fixtures/temp-library';

const root = path.resolve(import.meta.dirname, '../../..');
const codeCache = path.join(root, 'src-main/cli/code-cache.cjs');
const temp = makeTempDir('sporeprint-code-cache-');
afterAll(() => temp.cleanup());
const bundle = path.join(temp.dir, 'bundle.cjs');
const cache = codeCachePathOf(bundle);

/** A CommonJS bundle that prints its arguments through a function it compiles lazily, and what require gave it. */
function writeBundle(greeting: string): void {
  writeFileSync(
    bundle,
    `'use strict';\nfunction greet(args) { return ${JSON.stringify(greeting)} + ' ' + args.join(',') + ' ' + typeof require('node:path').join; }\n` +
      `process.stdout.write(greet(process.argv.slice(2)) + ' ' + (process.argv[1] === __filename) + '\\n');\n`,
  );
}

function makeCache(): void {
  const run = spawnSync(process.execPath, [path.join(root, 'src-main/setup/write-code-cache.mjs'), bundle, 'x'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
}

/** Runs the bundle through runBundle: what it printed and what became of the cache. */
function runBundle(nodeOptions: string[] = []): { out: string; outcome: string } {
  const run = spawnSync(
    process.execPath,
    [...nodeOptions, '-e', `require(${JSON.stringify(codeCache)}).runBundle(${JSON.stringify(bundle)}, { argv: ['a', 'b'] })`],
    { encoding: 'utf8', env: { ...process.env, SPOREPRINT_CODE_CACHE_TRACE: '1' } },
  );
  expect(run.status, run.stderr).toBe(0);
  return { out: run.stdout, outcome: /code cache: (.*)/.exec(run.stderr)?.[1] ?? '' };
}

beforeEach(() => {
  writeBundle('hello');
  makeCache();
});

describe('the code cache', () => {
  it('is used when it was made from this bundle by this Node', () => {
    expect(readCodeCache(cache, readFileSync(bundle)).reason).toBeNull();
    expect(runBundle()).toEqual({ out: 'hello a,b function true\n', outcome: 'used' });
  });

  it('is ignored when the bundle changed since', () => {
    writeBundle('hullo');
    expect(runBundle()).toEqual({ out: 'hullo a,b function true\n', outcome: 'stale' });
  });

  it('is ignored when its bytes were damaged (one byte flipped, or cut short)', () => {
    const bytes = readFileSync(cache);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100]! ^= 0xff;
    writeFileSync(cache, flipped);
    expect(runBundle()).toEqual({ out: 'hello a,b function true\n', outcome: 'corrupt' });
    writeFileSync(cache, bytes.subarray(0, bytes.length - 1));
    expect(runBundle().outcome).toBe('corrupt');
    writeFileSync(cache, bytes.subarray(0, 20));
    expect(runBundle()).toEqual({ out: 'hello a,b function true\n', outcome: 'malformed' });
    writeFileSync(cache, '');
    expect(runBundle().outcome).toBe('malformed');
  });

  it('is ignored when another Node made it, or when there is none', () => {
    const bytes = readFileSync(cache);
    const newline = bytes.indexOf(0x0a);
    const header = bytes.subarray(0, newline).toString('latin1').replace(`node ${process.version}`, 'node v0.0.1');
    writeFileSync(cache, Buffer.concat([Buffer.from(header, 'latin1'), bytes.subarray(newline)]));
    expect(runBundle()).toEqual({ out: 'hello a,b function true\n', outcome: 'runtime' });
    writeFileSync(cache, 'not a cache');
    expect(runBundle().outcome).toBe('malformed');
    rmSync(cache);
    expect(runBundle()).toEqual({ out: 'hello a,b function true\n', outcome: 'missing' });
  });

  it('compiles from source when V8 refuses it (other V8 flags than the ones it was made with)', () => {
    expect(runBundle(['--no-lazy'])).toEqual({ out: 'hello a,b function true\n', outcome: 'rejected by V8' });
  });
});
