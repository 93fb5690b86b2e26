// The stand-in the CLI bundle puts in place of a heavy package: nothing loads until a member is used, then the
// default export calls, constructs and reads through to the real package, and named exports do the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lazyModuleSource } from '../../../src-main/setup/build-cli';
import { makeTempDir } from '../../fixtures/temp-library';

const temp = makeTempDir('sporeprint-lazy-');
afterAll(() => temp.cleanup());

const PACKAGE = `
globalThis.__lazyLoads = (globalThis.__lazyLoads ?? 0) + 1;
function make(x) { return { made: x }; }
make.version = '1.2.3';
make.twice = (x) => 2 * x;
make.Counter = class Counter { constructor(n) { this.n = n; } };
module.exports = make;
`;

describe('lazyModuleSource', () => {
  it('loads the package on first use and forwards calls, construction and reads', async () => {
    const pkg = path.join(temp.dir, 'node_modules', 'heavy-pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'index.js'), PACKAGE);
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'heavy-pkg', main: 'index.js' }));
    const standIn = path.join(temp.dir, 'stand-in.mjs');
    writeFileSync(standIn, lazyModuleSource('heavy-pkg', ['twice', 'Counter']));
    const g = globalThis as { __lazyLoads?: number };
    const mod = (await import(pathToFileURL(standIn).href)) as {
      default: ((x: number) => { made: number }) & { version: string };
      twice: (x: number) => number;
      Counter: new (n: number) => { n: number };
    };
    expect(g.__lazyLoads).toBeUndefined();
    expect(mod.default(4)).toEqual({ made: 4 });
    expect(g.__lazyLoads).toBe(1);
    expect(mod.default.version).toBe('1.2.3');
    expect(mod.twice(21)).toBe(42);
    expect(new mod.Counter(7).n).toBe(7);
    expect(g.__lazyLoads).toBe(1);
  });
});
