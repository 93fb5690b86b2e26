// Worker entry: reads, hashes and (when the content is new) decodes and analyses one image file.
import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { serveWorkerTasks } from '../core/concurrency/worker-host';
import { processImageFile, type DecodeTask, type DecodeResult } from '../core/imaging/process-image-file';

const data = workerData as { libraryDir: string; tempDir?: string; sharpThreads?: number };
// One libvips thread per worker: parallelism comes from the pool, and the result is predictable.
sharp.concurrency(data.sharpThreads ?? 1);
sharp.cache(false);

serveWorkerTasks<DecodeTask, DecodeResult>((task, ask) => processImageFile(task, data.libraryDir, data.tempDir, ask));
