// Worker entry: reads, hashes and (when the content is new) decodes and analyses one image file.
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { serveWorkerTasks } from '../core/concurrency/worker-host';
import { processImageFile, type DecodeTask, type DecodeResult } from '../core/imaging/process-image-file';

const data = workerData as { libraryDir: string; tempDir?: string; sharpThreads?: number };
// One libvips thread per worker: parallelism comes from the pool, and the result is predictable.
sharp.concurrency(data.sharpThreads ?? 1);
sharp.cache(false);

// Test hook: a file holding this marker makes the worker thread exit as a decoder crash would, so that tests
// drive the pool's real crash path (no input is known to crash libvips on demand). Unset outside tests.
const crashMarker = process.env.SPOREPRINT_TEST_DECODER_CRASH_MARKER;

serveWorkerTasks<DecodeTask, DecodeResult>((task, ask) => {
  if (crashMarker && readFileSync(task.path).includes(crashMarker)) process.exit(70);
  return processImageFile(task, data.libraryDir, data.tempDir, ask);
});
