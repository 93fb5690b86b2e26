// Runs long jobs off the caller's await: persisted status, cancellation, progress at a bounded rate.
import { PROGRESS_INTERVAL_MS } from '../../../src-shared/defaults';
import type { Job, JobKind } from '../../../src-shared/model';
import { SporeprintError } from '../errors';
import type { Logger } from '../logging/library-log';
import { JobStore } from './job-store';
import type { Db } from '../catalog/database';

export interface JobContext {
  jobId: number;
  signal: AbortSignal;
  store: JobStore;
  /** Reports progress; persisted and emitted at most every PROGRESS_INTERVAL_MS (and at the end). */
  progress(done: number, total: number): void;
}

export type JobBody = (ctx: JobContext) => Promise<Record<string, unknown>>;

interface Live {
  controller: AbortController;
  done: number;
  total: number;
  startDone: number;
  startedAt: number;
  lastEmit: number;
  finished: Promise<Job>;
}

export class JobRunner {
  readonly store: JobStore;
  private readonly live = new Map<number, Live>();

  /**
   * Only the library's owner marks what was left running as interrupted: a reader opening beside a live owner must
   * not mark that owner's running jobs. A reader keeps its own jobs apart (JobStore's private tables).
   */
  private readonly log: Logger | null;

  constructor(
    db: Db,
    private readonly emit: (job: Job) => void,
    options: { owner: boolean; log?: Logger } = { owner: true },
  ) {
    this.store = new JobStore(db, { private: !options.owner });
    this.log = options.log ?? null;
    if (options.owner) this.store.markRunningInterrupted();
  }

  /** Starts a job (or continues `resumeId`) and returns its id at once; the body runs in the background. */
  start(kind: JobKind, params: unknown, body: JobBody, resumeId?: number): number {
    const jobId = resumeId ?? this.store.create(kind, params);
    if (resumeId !== undefined) this.store.reopen(resumeId);
    const previous = this.store.row(jobId);
    const controller = new AbortController();
    const live: Live = {
      controller,
      done: previous?.done ?? 0,
      total: previous?.total ?? 0,
      startDone: previous?.done ?? 0,
      startedAt: Date.now(),
      lastEmit: 0,
      finished: Promise.resolve(undefined as unknown as Job),
    };
    this.live.set(jobId, live);
    this.log?.info({ jobId, kind, resumed: resumeId !== undefined }, `job ${jobId} (${kind}) started`);
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      store: this.store,
      progress: (done, total) => {
        live.done = done;
        live.total = total;
        const now = Date.now();
        if (now - live.lastEmit >= PROGRESS_INTERVAL_MS) {
          live.lastEmit = now;
          this.log?.debug({ jobId, done, total }, `job ${jobId} (${kind}) ${done}/${total}`);
          this.store.progress(jobId, done, total);
          this.emit(this.get(jobId));
        }
      },
    };
    live.finished = Promise.resolve()
      .then(() => body(ctx))
      .then(
        (result) => {
          this.store.finish(jobId, 'completed', live.done, live.total, null, result);
          this.log?.info(
            { jobId, kind, done: live.done, seconds: (Date.now() - live.startedAt) / 1000 },
            `job ${jobId} (${kind}) completed`,
          );
        },
        (err: unknown) => {
          const cancelled = controller.signal.aborted || (err instanceof SporeprintError && err.code === 'CANCELLED');
          if (cancelled) {
            this.store.finish(jobId, 'cancelled', live.done, live.total, null, null);
            this.log?.info({ jobId, kind, done: live.done }, `job ${jobId} (${kind}) cancelled`);
            return;
          }
          // The stack goes with the message, in the job row and in the log: what a report needs.
          const failure = err instanceof Error ? { message: err.message, stack: err.stack ?? null } : { message: String(err), stack: null };
          this.store.finish(jobId, 'failed', live.done, live.total, failure, null);
          this.log?.error({ jobId, kind, done: live.done, err }, `job ${jobId} (${kind}) failed: ${failure.message}`);
        },
      )
      .then(() => {
        const job = this.get(jobId);
        this.live.delete(jobId);
        this.emit(job);
        return job;
      });
    return jobId;
  }

  /** Resolves when the job ends, with its final state. */
  async wait(jobId: number): Promise<Job> {
    const live = this.live.get(jobId);
    return live ? live.finished : this.get(jobId);
  }

  cancel(jobId: number): boolean {
    const live = this.live.get(jobId);
    if (!live) return false;
    live.controller.abort();
    return true;
  }

  get(jobId: number): Job {
    const row = this.store.row(jobId);
    if (!row) throw new SporeprintError('NOT_FOUND', `no job ${jobId}`);
    const live = this.live.get(jobId);
    if (!live) return this.store.toJob(row);
    const seconds = (Date.now() - live.startedAt) / 1000;
    const rate = seconds > 0 ? (live.done - live.startDone) / seconds : 0;
    return this.store.toJob({ ...row, done: live.done, total: live.total }, rate);
  }

  list(kind: string | undefined, limit: number): Job[] {
    return this.store.list(kind, limit).map((row) => this.get(row.id));
  }

  /** Cancels every running job and waits for them to stop (library close). */
  async stopAll(): Promise<void> {
    const running = [...this.live.entries()];
    for (const [, live] of running) live.controller.abort(LIBRARY_CLOSING);
    await Promise.all(running.map(([, live]) => live.finished));
  }
}

/** The abort reason of jobs stopped because the library closes (not cancelled by the user). */
export const LIBRARY_CLOSING = 'library closing';

/** Throws CANCELLED when the signal has fired; long loops call it between items. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new SporeprintError('CANCELLED', 'job was cancelled');
}
