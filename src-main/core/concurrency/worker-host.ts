// The worker side of the pool protocol: runs one task at a time and can ask the main thread questions.
import { parentPort } from 'node:worker_threads';
import { toErrorPayload } from '../errors';
import type { FromWorker, ToWorker } from './worker-protocol';

export type Ask = (question: unknown) => Promise<unknown>;

export function serveWorkerTasks<Task, Result>(handle: (task: Task, ask: Ask) => Promise<Result>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks must run inside a worker thread');
  const waiting = new Map<number, (answer: unknown) => void>();
  port.on('message', (msg: ToWorker<Task>) => {
    if (msg.type === 'answer') {
      waiting.get(msg.id)?.(msg.answer);
      waiting.delete(msg.id);
      return;
    }
    const { id, task } = msg;
    const ask: Ask = (question) =>
      new Promise((resolve) => {
        waiting.set(id, resolve);
        port.postMessage({ type: 'ask', id, question } satisfies FromWorker<Result>);
      });
    handle(task, ask).then(
      (result) => port.postMessage({ type: 'result', id, result } satisfies FromWorker<Result>),
      (err: unknown) => port.postMessage({ type: 'error', id, error: toErrorPayload(err) } satisfies FromWorker<Result>),
    );
  });
}
