// Worker entry: joins a share of the chunks of a Hamming join (core/duplicates/parallel-join.ts).
import { serveWorkerTasks } from '../core/concurrency/worker-host';
import { runJoinTask, type JoinHits, type JoinTask } from '../core/duplicates/parallel-join';

serveWorkerTasks<JoinTask, JoinHits>((task) => Promise.resolve(runJoinTask(task)));
