// A handle on a library owned by a worker thread: the same invoke/on surface as Library, over messages.
// Electron's main thread and the serve HTTP server use it so that they only route. When the thread dies, calls in
// flight fail with the reason, new calls fail at once, close() still resolves, and `library.reopen` starts it anew.
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { ApiEventName, ApiEvents, ApiInput, ApiMethod, ApiOutput } from '../../src-shared/api';
import type { InvokeEnvelope } from '../../src-shared/transport';
import { resolveWorkerEntry, startWorker } from '../core/concurrency/worker-entry';
import { SporeprintError } from '../core/errors';
import { releaseLockOf, type LibraryLockInfo, type LockApp } from '../core/library-lock';
import { appendErrorLine } from '../core/logging/library-log';
import type { PasswordProvider } from '../core/sync/pg-connection';
import type { ApiHost } from './api-host';
import type { HostReply, HostRequest, HostWorkerData, PasswordTarget } from './library-host-messages';

export interface LibraryClientOptions {
  /** Answers the sync job's password requests (the app's OS keychain); without it the worker uses PGPASSWORD / ~/.pgpass. */
  passwordProvider?: PasswordProvider;
  /** Who the owner lock names: 'desktop' (default) or 'serve'. */
  app?: LockApp;
  /** Debug lines in the library's log, echoed to stderr. */
  verbose?: boolean;
  /** How long close() lets jobs checkpoint and the catalogue close before it ends the thread (default 60 s). */
  closeTimeoutMs?: number;
  /** Told, before the library opens, what bringing its catalogue up to date is about to do (it may take minutes). */
  onMigrating?: (what: string) => void;
}

/** A running thread: the worker and the owner lock it reported taking. */
interface Thread {
  worker: Worker;
  lock: LibraryLockInfo | null;
}

type State = { kind: 'running' } | { kind: 'stopped'; reason: string } | { kind: 'closed' };

export class LibraryClient implements ApiHost {
  private readonly pending = new Map<number, (envelope: InvokeEnvelope) => void>();
  private readonly events = new EventEmitter();
  private nextId = 1;
  private state: State = { kind: 'running' };
  private closing: Promise<void> | null = null;
  private reopening: Promise<void> | null = null;

  private constructor(
    private thread: Thread,
    readonly dir: string,
    private readonly options: LibraryClientOptions,
  ) {
    this.events.setMaxListeners(100);
    this.attach(thread);
  }

  static async open(dir: string, options: LibraryClientOptions = {}): Promise<LibraryClient> {
    const { thread, dir: opened } = await startThread(dir, options);
    return new LibraryClient(thread, opened, options);
  }

  /** Why the library's thread stopped, or null while it runs (or after close). */
  get stoppedReason(): string | null {
    return this.state.kind === 'stopped' ? this.state.reason : null;
  }

  private attach(thread: Thread): void {
    const { worker } = thread;
    let crash: string | null = null;
    worker.on('message', (reply: HostReply) => {
      if (reply.type === 'result') {
        this.pending.get(reply.id)?.(reply.envelope);
        this.pending.delete(reply.id);
      } else if (reply.type === 'event') this.events.emit(reply.envelope.event, reply.envelope.payload);
      else if (reply.type === 'password-request') void this.answerPassword(reply.id, reply.target);
    });
    // An uncaught exception in the thread arrives here first, then 'exit': keep its words for the reason.
    let stack: string | undefined;
    worker.on('error', (err) => {
      crash = err.message;
      stack = err.stack;
    });
    worker.on('exit', (code) => {
      if (this.thread !== thread || this.state.kind !== 'running' || this.closing) return;
      const reason = `the library stopped: ${crash ?? `its thread exited (code ${code})`}`;
      // The thread that wrote the log is gone: this one notes why, so the log tells what the app showed.
      appendErrorLine(this.dir, reason, crash ? { message: crash, ...(stack ? { stack } : {}) } : undefined);
      this.stopped(thread, reason);
    });
  }

  report(err: unknown, context: string): void {
    const message = err instanceof Error ? err.message : String(err);
    const stack = err instanceof Error ? err.stack : undefined;
    if (this.state.kind === 'running') this.thread.worker.postMessage({ type: 'report', context, message, stack } satisfies HostRequest);
    else appendErrorLine(this.dir, `${context} failed: ${message}`, { message, ...(stack ? { stack } : {}) });
  }

  /** The thread died on its own: fail what waits, free the lock it can no longer release, tell the app. */
  private stopped(thread: Thread, reason: string): void {
    this.state = { kind: 'stopped', reason };
    for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'LIBRARY_STOPPED', message: reason, reason } });
    this.pending.clear();
    if (thread.lock) releaseLockOf(this.dir, thread.lock);
    this.events.emit('library.status', { running: false, reason } satisfies ApiEvents['library.status']);
  }

  /** Looks the password up on this thread (the keychain lives here) and sends it to the sync job that asked. */
  private async answerPassword(id: number, target: PasswordTarget): Promise<void> {
    let reply: HostRequest;
    try {
      const password = this.options.passwordProvider ? await this.options.passwordProvider(target) : undefined;
      reply = { type: 'password-reply', id, password };
    } catch (err) {
      // The job fails naming the keychain's reason instead of silently trying without a password.
      reply = { type: 'password-reply', id, password: undefined, error: err instanceof Error ? err.message : String(err) };
    }
    this.thread.worker.postMessage(reply);
  }

  invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    if (this.closing || this.state.kind === 'closed') return Promise.reject(new SporeprintError('INTERNAL', 'library is closed'));
    if (method === 'library.reopen' && this.state.kind === 'stopped') return this.reopen() as Promise<ApiOutput<M>>;
    if (this.state.kind === 'stopped') return Promise.reject(new SporeprintError('LIBRARY_STOPPED', this.state.reason));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (envelope) =>
        envelope.ok ? resolve(envelope.value as ApiOutput<M>) : reject(SporeprintError.fromPayload(envelope.error)),
      );
      this.thread.worker.postMessage({ type: 'invoke', id, method, input } satisfies HostRequest);
    });
  }

  /** Starts a new thread on the same library after the last one stopped. */
  private async reopen(): Promise<ApiOutput<'library.reopen'>> {
    this.reopening ??= (async () => {
      try {
        const { thread } = await startThread(this.dir, this.options);
        this.thread = thread;
        this.attach(thread);
        this.state = { kind: 'running' };
        this.events.emit('library.status', { running: true, reason: null } satisfies ApiEvents['library.status']);
        this.events.emit('catalog.changed', { reason: 'reopened' } satisfies ApiEvents['catalog.changed']);
      } finally {
        this.reopening = null;
      }
    })();
    await this.reopening;
    return { path: this.dir, reopened: true };
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /**
   * Lets running jobs checkpoint and the catalogue close, then ends the thread. Resolves in every case: at once when
   * the thread already stopped, and after `closeTimeoutMs` (ending the thread) when it does not answer.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.reopening) await this.reopening.catch(() => undefined);
      const { worker } = this.thread;
      if (this.state.kind === 'running') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.closeTimeoutMs ?? 60_000);
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          worker.on('message', (reply: HostReply) => reply.type === 'closed' && done());
          worker.once('exit', done);
          worker.postMessage({ type: 'close' } satisfies HostRequest);
        });
      }
      this.state = { kind: 'closed' };
      await worker.terminate();
      for (const resolve of this.pending.values())
        resolve({ ok: false, error: { code: 'INTERNAL', message: 'library is closed', reason: 'library is closed' } });
      this.pending.clear();
    })();
    return this.closing;
  }
}

/** Starts the library's thread and waits until it has opened the library (or says why it could not). */
async function startThread(dir: string, options: LibraryClientOptions): Promise<{ thread: Thread; dir: string }> {
  const entry = resolveWorkerEntry('library-host');
  const data: HostWorkerData = {
    dir,
    app: options.app ?? 'desktop',
    verbose: options.verbose ?? false,
    ...(options.passwordProvider ? { passwordProvider: true } : {}),
  };
  const worker = startWorker(entry.url, { ...entry.bootstrapData, ...data });
  const ready = await new Promise<HostReply>((resolve, reject) => {
    const firstReply = (reply: HostReply) => {
      if (reply.type === 'migrating') {
        options.onMigrating?.(reply.what);
        return;
      }
      worker.off('message', firstReply);
      resolve(reply);
    };
    worker.on('message', firstReply);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`library worker exited (code ${code}) before opening ${dir}`)));
  });
  if (ready.type !== 'ready') {
    await worker.terminate();
    if (ready.type === 'fatal') throw SporeprintError.fromPayload(ready.error);
    throw new Error(`unexpected first message ${ready.type}`);
  }
  return { thread: { worker, lock: ready.lock }, dir: ready.dir };
}
