// Worker entry: runs CLIP image and text embedding (transformers.js on onnxruntime-node) off the main thread.
import sharp from 'sharp';
import { serveWorkerTasks } from '../core/concurrency/worker-host';
import { runEmbedTask, type EmbedResult, type EmbedTask } from '../core/embed/clip-runtime';

sharp.concurrency(1);
sharp.cache(false);

serveWorkerTasks<EmbedTask, EmbedResult>((task) => runEmbedTask(task));
