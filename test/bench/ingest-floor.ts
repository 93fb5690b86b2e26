// The ingest benchmark's floor: per file, the pipeline's own decode (one shrink-on-load decode to <= 1280 px)
// and the 8 mandated encodes, nothing else. Runs in the bench process, or on worker threads fed from one queue
// (largest file first, as ingest dispatches) to show how far this machine scales the work itself.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { decodeForDerivatives } from '../../src-main/core/imaging/analyze-image';
import { encodeRaw, renderDerivativeLadder } from '../../src-main/core/imaging/derivatives';

/** One file's floor work; returns the bytes read. */
export async function floorWork(file: string): Promise<number> {
  const input = readFileSync(file);
  const ladder = await renderDerivativeLadder(await decodeForDerivatives(input, file));
  for (const image of Object.values(ladder)) for (const format of ['jpeg', 'webp'] as const) await encodeRaw(image, format);
  return input.length;
}

const here = fileURLToPath(import.meta.url);
const bootstrap = path.resolve(path.dirname(here), '../../src-main/workers/ts-bootstrap.mjs');

/**
 * The floor on `threads` worker threads (one libvips thread each), timed from the first file handed out to the
 * last one done: worker start-up is left out, so this is the scaling of the per-file work alone.
 */
export async function runFloorOnThreads(files: string[], threads: number): Promise<{ seconds: number; bytes: number; cpuSeconds: number }> {
  const workers = Array.from({ length: threads }, () => new Worker(bootstrap, { workerData: { __entry: pathToFileURL(here).href } }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject))));
    const queue = [...files].sort((a, b) => statSync(b).size - statSync(a).size);
    let bytes = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(
      workers.map(async (worker) => {
        for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
          worker.postMessage(file);
          const read = await new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject));
          bytes += read;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { seconds, bytes, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  sharp.concurrency(1);
  sharp.cache(false);
  port.on('message', (file: string) => void floorWork(file).then((bytes) => port.postMessage(bytes)));
  port.postMessage('ready');
}
