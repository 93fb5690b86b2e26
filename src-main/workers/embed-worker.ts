// Worker entry: runs CLIP image and text embedding (transformers.js on onnxruntime-node) off the main thread.
import sharp from 'sharp';
import { serveWorkerTasks } from '../core/concurrency/worker-host';
import { runEmbedTask, type EmbedResult, type EmbedTask } from '../core/embed/clip-runtime';

// sharp keeps its default libvips concurrency here: this is the only embedding thread, and preprocessing
// (decode + resize) is most of the cost for small models.
sharp.cache(false);

serveWorkerTasks<EmbedTask, EmbedResult>((task) => runEmbedTask(task));
