// Worker entries from a source checkout: the build in out/main only when it is newer than every source file.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { freshBuildOf } from '../../../../src-main/core/concurrency/worker-entry';
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
