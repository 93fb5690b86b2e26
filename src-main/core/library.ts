// The facade that implements api.ts over the domains: validates every input, then dispatches.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { api, isApiMethod, type ApiEventName, type ApiEvents, type ApiInput, type ApiMethod, type ApiOutput } from '../../src-shared/api';
import { openCatalog, type Db } from './catalog/database';
import { catalogHandlers } from './catalog/handlers';
import { clearFollowups, pendingFollowups } from './catalog/image-followups';
import { loadConfig, type Config } from './config';
import { SporeprintError } from './errors';
import type { Handler, Handlers } from './handler-types';
import { ingestHandlers } from './ingest/handlers';
import { duplicatesHandlers } from './duplicates/handlers';
import { labelsHandlers } from './labels/handlers';
import { jobHandlers } from './jobs/handlers';
import { sourcesHandlers } from './sources/handlers';
import { exportHandlers } from './export/handlers';
import { JobRunner, type JobContext } from './jobs/job-runner';
import type { ImagesAddedListener, LibraryContext } from './library-context';
import { CATALOG_FILE } from './library-paths';
import { registerDomainHooks } from './domain-hooks';
import { syncHandlers } from './sync/handlers';
import { searchHandlers } from './embed/handlers';
import { doctorHandlers } from './doctor/handlers';

// Typed as the full map: a contract method without an implementation does not compile.
const handlers: Handlers<ApiMethod> = {
  ...catalogHandlers,
  ...ingestHandlers,
  ...duplicatesHandlers,
  ...labelsHandlers,
  ...jobHandlers,
  ...sourcesHandlers,
  ...exportHandlers,
  ...syncHandlers,
  ...searchHandlers,
  ...doctorHandlers,
};

export interface OpenOptions {
  env?: NodeJS.ProcessEnv;
}

export class Library implements LibraryContext {
  readonly db: Db;
  readonly jobs: JobRunner;
  readonly config: Config;
  private readonly events = new EventEmitter();
  private readonly services = new Map<string, { value: unknown; close?: (v: unknown) => void | Promise<void> }>();
  private readonly imagesAdded: ImagesAddedListener[] = [];
  private closed = false;

  private constructor(
    readonly dir: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.config = loadConfig(dir, env);
    this.db = openCatalog(path.join(dir, CATALOG_FILE));
    this.jobs = new JobRunner(this.db, (job) => this.emit('job.progress', job));
    this.events.setMaxListeners(100);
    registerDomainHooks(this);
  }

  /** Opens (creating if needed) the library folder. */
  static open(dir: string, options: OpenOptions = {}): Library {
    const absolute = path.resolve(dir);
    mkdirSync(absolute, { recursive: true });
    return new Library(absolute, options.env ?? process.env);
  }

  /** Validates `input` against the contract and runs the method. */
  async invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    if (this.closed) throw new SporeprintError('INTERNAL', 'library is closed');
    if (!isApiMethod(method)) throw new SporeprintError('INVALID_INPUT', `unknown method ${String(method)}`);
    const parsed = api[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new SporeprintError(
        'INVALID_INPUT',
        `invalid input for ${method}: ${issues.map((i) => `${i.path || '(input)'} ${i.message}`).join('; ')}`,
        undefined,
        issues,
      );
    }
    const handler = handlers[method] as Handler<M>;
    return handler(this, parsed.data as never);
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    this.events.emit(event, payload);
  }

  onImagesAdded(listener: ImagesAddedListener): void {
    this.imagesAdded.push(listener);
  }

  async completeFollowups(job: JobContext): Promise<number> {
    const imageIds = pendingFollowups(this.db);
    if (imageIds.length === 0) return 0;
    for (const listener of this.imagesAdded) await listener(this, imageIds, job);
    // Only now: a kill or an error above leaves the queue as it was, for the next run to finish.
    clearFollowups(this.db, imageIds);
    return imageIds.length;
  }

  service<T>(key: string, create: () => T, close?: (value: T) => void | Promise<void>): T {
    const existing = this.services.get(key);
    if (existing) return existing.value as T;
    const value = create();
    this.services.set(key, { value, close: close as ((v: unknown) => void | Promise<void>) | undefined });
    return value;
  }

  /** Waits for a job to finish; the CLI and tests use it, the UI listens to progress events instead. */
  waitForJob(jobId: number) {
    return this.jobs.wait(jobId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.jobs.stopAll();
    for (const { value, close } of this.services.values()) await close?.(value);
    this.services.clear();
    this.closed = true;
    this.db.close();
  }
}
