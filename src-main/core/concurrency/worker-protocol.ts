// Messages between the pool and a worker: a task, questions the worker asks mid-task, and the outcome.
import type { ApiErrorPayload } from '../../../src-shared/api';

export type ToWorker<Task> = { type: 'task'; id: number; task: Task } | { type: 'answer'; id: number; answer: unknown };

export type FromWorker<Result> =
  | { type: 'result'; id: number; result: Result }
  | { type: 'error'; id: number; error: ApiErrorPayload }
  | { type: 'ask'; id: number; question: unknown };
