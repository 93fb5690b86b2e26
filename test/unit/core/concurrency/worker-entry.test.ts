// Worker entries from a source checkout: the build in out/main only when it is newer than every source file.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { freshBuildOf, startWorker, withoutTsxLoader } from '../../../../src-main/core/concurrency/worker-entry';
import { makeTempDir } from '../../../fixtures/temp-library';
import { makePhoto } from '../../../fixtures/synthetic-photos';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function checkout(sourceAge: number, buildAge: number | null): string {
  const { dir, cleanup } = makeTempDir('sporeprint-checkout-');
  cleanups.push(cleanup);
  const now = Date.now() / 1000;
  const write = (rel: string, ageSeconds: number) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '// x');
    utimesSync(file, now - ageSeconds, now - ageSeconds);
  };
  write('src-main/core/imaging/analyze-image.ts', sourceAge);
  write('src-shared/defaults.ts', sourceAge + 100);
  if (buildAge !== null) write('out/main/decode-worker.js', buildAge);
  return dir;
}

describe('freshBuildOf', () => {
  it('uses a build that is newer than every source file', () => {
    const root = checkout(600, 60);
    expect(freshBuildOf('decode-worker', root)).toBe(path.join(root, 'out/main/decode-worker.js'));
  });

  it('ignores a build older than any source file, so edited code is never run stale', () => {
    expect(freshBuildOf('decode-worker', checkout(60, 600))).toBeNull();
  });

  it('ignores a missing build', () => {
    expect(freshBuildOf('decode-worker', checkout(60, null))).toBeNull();
  });
});

describe('the decode worker run from source through tsx', () => {
  it('processes an image (the path used when no fresh build exists)', async () => {
    const { dir, cleanup } = makeTempDir('sporeprint-src-worker-');
    cleanups.push(cleanup);
    const photo = path.join(dir, 'p.jpg');
    writeFileSync(photo, await makePhoto(77, { width: 400, height: 300 }));
    const workers = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../src-main/workers');
    const worker = new Worker(path.join(workers, 'ts-bootstrap.mjs'), {
      workerData: { libraryDir: dir, __entry: pathToFileURL(path.join(workers, 'decode-worker.ts')).href },
    });
    try {
      const result = await new Promise<{ type: string; result?: { format: string; analysis: { width: number } | null } }>(
        (resolve, reject) => {
          worker.on('error', reject);
          worker.on('message', (msg: { type: string; id: number }) => {
            if (msg.type === 'ask') worker.postMessage({ type: 'answer', id: msg.id, answer: { known: false } });
            else resolve(msg);
          });
          worker.postMessage({ type: 'task', id: 1, task: { path: photo } });
        },
      );
      expect(result.type).toBe('result');
      expect(result.result?.format).toBe('jpeg');
      expect(result.result?.analysis?.width).toBe(400);
    } finally {
      await worker.terminate();
    }
  });
});

describe('withoutTsxLoader', () => {
  it('drops the loader flags that tsx and `node --import tsx` add, in every spelling, and keeps the rest', () => {
    const tsxCli = ['--require', '/repo/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///repo/node_modules/tsx/dist/loader.mjs'];
    expect(withoutTsxLoader(tsxCli)).toEqual([]);
    expect(withoutTsxLoader(['--import', 'tsx', '--max-old-space-size=4096'])).toEqual(['--max-old-space-size=4096']);
    expect(withoutTsxLoader(['--import=tsx', '--enable-source-maps', '-r', 'tsx/cjs', '--loader=tsx/esm'])).toEqual([
      '--enable-source-maps',
    ]);
  });

  it('keeps loaders that are not tsx, and a trailing flag without a value', () => {
    expect(withoutTsxLoader(['--import', './mytsx.mjs', '--require', 'dotenv/config'])).toEqual([
      '--import',
      './mytsx.mjs',
      '--require',
      'dotenv/config',
    ]);
    expect(withoutTsxLoader(['--import'])).toEqual(['--import']);
  });
});

describe('startWorker', () => {
  const echoOptions = new URL(
    'data:text/javascript,import { parentPort } from "node:worker_threads"; parentPort.postMessage(process.execArgv);',
  );
  const optionsSeenBy = async (worker: Worker) => {
    try {
      return await new Promise<string[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    } finally {
      await worker.terminate();
    }
  };

  it('starts the worker without the tsx loader and with the other options', async () => {
    expect(await optionsSeenBy(startWorker(echoOptions, {}, ['--import', 'tsx', '--enable-source-maps']))).toEqual([
      '--enable-source-maps',
    ]);
  });

  it('falls back to inheriting when the remaining options are ones only a process may take', async () => {
    // --stack-size is a V8 option: refused in an explicit worker execArgv, so the worker inherits instead.
    const seen = await optionsSeenBy(startWorker(echoOptions, {}, ['--import', 'tsx', '--stack-size=900']));
    expect(seen).toEqual(process.execArgv);
  });
});
