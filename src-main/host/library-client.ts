// A handle on a library owned by a worker thread: the same invoke/on surface as Library, over messages.
// Electron's main thread and the serve HTTP server use it so that they only route.
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { ApiEventName, ApiEvents, ApiInput, ApiMethod, ApiOutput } from '../../src-shared/api';
import type { InvokeEnvelope } from '../../src-shared/transport';
import { resolveWorkerEntry, startWorker } from '../core/concurrency/worker-entry';
import { SporeprintError } from '../core/errors';
import type { PasswordProvider } from '../core/sync/pg-connection';
import type { ApiHost } from './api-host';
import type { HostReply, HostRequest, HostWorkerData, PasswordTarget } from './library-host-messages';

export interface LibraryClientOptions {
  /** Answers the sync job's password requests (the app's OS keychain); without it the worker uses PGPASSWORD / ~/.pgpass. */
  passwordProvider?: PasswordProvider;
}

export class LibraryClient implements ApiHost {
  private readonly pending = new Map<number, (envelope: InvokeEnvelope) => void>();
  private readonly events = new EventEmitter();
  private nextId = 1;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly dir: string,
    private readonly passwordProvider: PasswordProvider | undefined,
  ) {
    this.events.setMaxListeners(100);
    worker.on('message', (reply: HostReply) => {
      if (reply.type === 'result') {
        this.pending.get(reply.id)?.(reply.envelope);
        this.pending.delete(reply.id);
      } else if (reply.type === 'event') this.events.emit(reply.envelope.event, reply.envelope.payload);
      else if (reply.type === 'password-request') void this.answerPassword(reply.id, reply.target);
    });
    worker.on('exit', (code) => {
      // Calls in flight when the worker dies fail in words instead of hanging.
      for (const resolve of this.pending.values())
        resolve({ ok: false, error: { code: 'INTERNAL', message: `library worker exited (code ${code})` } });
      this.pending.clear();
    });
  }

  static async open(dir: string, options: LibraryClientOptions = {}): Promise<LibraryClient> {
    const entry = resolveWorkerEntry('library-host');
    const data: HostWorkerData = { dir, ...(options.passwordProvider ? { passwordProvider: true } : {}) };
    const worker = startWorker(entry.url, { ...entry.bootstrapData, ...data });
    const ready = await new Promise<HostReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`library worker exited (code ${code}) before opening ${dir}`)));
    });
    if (ready.type !== 'ready') {
      await worker.terminate();
      throw new Error(ready.type === 'fatal' ? ready.message : `unexpected first message ${ready.type}`);
    }
    return new LibraryClient(worker, ready.dir, options.passwordProvider);
  }

  /** Looks the password up on this thread (the keychain lives here) and sends it to the sync job that asked. */
  private async answerPassword(id: number, target: PasswordTarget): Promise<void> {
    let reply: HostRequest;
    try {
      const password = this.passwordProvider ? await this.passwordProvider(target) : undefined;
      reply = { type: 'password-reply', id, password };
    } catch (err) {
      // The job fails naming the keychain's reason instead of silently trying without a password.
      reply = { type: 'password-reply', id, password: undefined, error: err instanceof Error ? err.message : String(err) };
    }
    this.worker.postMessage(reply);
  }

  invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    if (this.closing) return Promise.reject(new SporeprintError('INTERNAL', 'library is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (envelope) =>
        envelope.ok ? resolve(envelope.value as ApiOutput<M>) : reject(SporeprintError.fromPayload(envelope.error)),
      );
      this.worker.postMessage({ type: 'invoke', id, method, input } satisfies HostRequest);
    });
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Lets running jobs checkpoint and the catalogue close, then ends the worker. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.worker.on('message', (reply: HostReply) => {
        if (reply.type === 'closed') void this.worker.terminate().then(() => resolve());
      });
      this.worker.postMessage({ type: 'close' } satisfies HostRequest);
    });
    return this.closing;
  }
}
