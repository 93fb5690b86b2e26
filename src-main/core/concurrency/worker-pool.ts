// A small pool of worker threads with typed tasks; a task may ask the main thread questions mid-way
// (e.g. "is this sha256 already catalogued?") so that workers never need the database.
import type { Worker } from 'node:worker_threads';
import { SporeprintError } from '../errors';
import { resolveWorkerEntry, startWorker, type WorkerName } from './worker-entry';
import type { FromWorker, ToWorker } from './worker-protocol';

/** A task lost because its worker thread died under it: the caller may count these per input (see ingest). */
export class WorkerCrashError extends SporeprintError {
  constructor(what: string) {
    super('INTERNAL', `a worker thread ${what} while on this task`);
  }
}

export interface RunOptions {
  /** Answers a question the worker asks while running this task. */
  onAsk?: (question: unknown) => unknown;
}

interface Pending<Result> {
  resolve: (r: Result) => void;
  reject: (e: Error) => void;
  options: RunOptions;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

export class WorkerPool<Task, Result> {
  private readonly slots: Slot[] = [];
  private readonly queue: { id: number; task: Task; pending: Pending<Result> }[] = [];
  private readonly pending = new Map<number, Pending<Result> & { slot: Slot }>();
  private nextId = 1;
  private closed = false;

  private readonly startSlotWorker: (slot: Slot) => Worker;

  constructor(name: WorkerName, size: number, workerData: Record<string, unknown> = {}) {
    const entry = resolveWorkerEntry(name);
    this.startSlotWorker = (slot) => {
      const worker = startWorker(entry.url, { ...workerData, ...entry.bootstrapData });
      worker.on('message', (msg: FromWorker<Result>) => this.onMessage(slot, msg));
      worker.on('error', (err) => this.onWorkerGone(slot, worker, `crashed (${err.message})`));
      worker.on('exit', (code) => this.onWorkerGone(slot, worker, `exited with code ${code}`));
      return worker;
    };
    for (let i = 0; i < Math.max(1, size); i++) {
      const slot = { busy: false } as Slot;
      slot.worker = this.startSlotWorker(slot);
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  run(task: Task, options: RunOptions = {}): Promise<Result> {
    if (this.closed) return Promise.reject(new SporeprintError('CANCELLED', 'worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, pending: { resolve, reject, options } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const item of this.queue.splice(0)) item.pending.reject(new SporeprintError('CANCELLED', 'worker pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const item = this.queue.shift();
      if (!item) return;
      slot.busy = true;
      this.pending.set(item.id, { ...item.pending, slot });
      const message: ToWorker<Task> = { type: 'task', id: item.id, task: item.task };
      slot.worker.postMessage(message);
    }
  }

  private onMessage(slot: Slot, msg: FromWorker<Result>): void {
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    if (msg.type === 'ask') {
      Promise.resolve()
        .then(() => pending.options.onAsk?.(msg.question))
        .then(
          (answer) => slot.worker.postMessage({ type: 'answer', id: msg.id, answer } satisfies ToWorker<Task>),
          (err: unknown) => this.finish(msg.id, slot, () => pending.reject(err instanceof Error ? err : new Error(String(err)))),
        );
      return;
    }
    if (msg.type === 'result') this.finish(msg.id, slot, () => pending.resolve(msg.result));
    else this.finish(msg.id, slot, () => pending.reject(SporeprintError.fromPayload(msg.error)));
  }

  private finish(id: number, slot: Slot, settle: () => void): void {
    this.pending.delete(id);
    slot.busy = false;
    settle();
    this.dispatch();
  }

  /**
   * A crashed (or exited) worker fails the task it ran, as an INTERNAL error naming the crash: a fault around the
   * file, which the caller may try again. A fresh worker takes the slot, so the rest of the queue still runs.
   */
  private onWorkerGone(slot: Slot, worker: Worker, what: string): void {
    if (slot.worker !== worker) return;
    for (const [id, p] of this.pending) {
      if (p.slot === slot) {
        this.pending.delete(id);
        p.reject(this.closed ? new SporeprintError('CANCELLED', 'worker pool closed') : new WorkerCrashError(what));
      }
    }
    slot.busy = false;
    if (this.closed) return;
    slot.worker = this.startSlotWorker(slot);
    this.dispatch();
  }
}
