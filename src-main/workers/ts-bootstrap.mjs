// Runs a TypeScript worker entry in development and tests (tsx); built apps load the .js entry directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
