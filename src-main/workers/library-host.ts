// Worker entry of the library host (host/library-host.ts): the thread that owns one library for the app or `serve`.
import { parentPort, workerData } from 'node:worker_threads';
import { hostLibrary } from '../host/library-host';
import type { HostWorkerData } from '../host/library-host-messages';

hostLibrary(parentPort!, workerData as HostWorkerData);
