// The facade that implements api.ts over the domains: validates every input, then dispatches.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { api, isApiMethod, type ApiEventName, type ApiEvents, type ApiInput, type ApiMethod, type ApiOutput } from '../../src-shared/api';
import type { Db } from './catalog/database';
import { clearFollowups, pendingFollowups } from './catalog/image-followups';
import { loadConfig, type Config } from './config';
import { SporeprintError } from './errors';
import { JobRunner, type JobContext } from './jobs/job-runner';
import type { ImagesAddedListener, LibraryContext } from './library-context';
import type { LibraryLock, LibraryLockInfo, LockApp } from './library-lock';
import { openLibraryCatalog, type LibraryAccess } from './library-open';
import { openLibraryLog, type LibraryLog, type LogOptions, type Logger } from './logging/library-log';
import { METHOD_ACCESS } from './method-access';
import { handlerOf } from './method-handlers';
import { registerDomainHooks } from './domain-hooks';

export interface OpenOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * 'write' (the default): this process becomes the library's one owner (library.lock); another live owner makes
   * the open fail with LIBRARY_IN_USE. A library that cannot be written here opens read-only instead.
   * 'read': the catalogue is opened read-only beside whoever owns it; only read methods are allowed.
   */
  access?: LibraryAccess;
  /** Who the owner lock names: the CLI, `serve` or the desktop app. */
  app?: LockApp;
  /** The owner writes <library>/logs/; `verbose` adds debug lines, echoed to `echo` too. */
  log?: LogOptions;
  /**
   * Told, before it starts, what a migration that takes long on a large library is about to do (the catalogue is
   * opened before the log, so this is the only way to say why the open waits).
   */
  onMigrating?: (what: string) => void;
}

export class Library implements LibraryContext {
  readonly db: Db;
  readonly jobs: JobRunner;
  readonly config: Config;
  /** Why this process may not change the library (a sentence for the error), or null for its owner. */
  readonly readOnlyReason: string | null;
  readonly log: Logger;
  private readonly logs: LibraryLog;
  private readonly lock: LibraryLock | null;
  private readonly closeCatalog: () => void;
  private readonly events = new EventEmitter();
  private readonly services = new Map<string, { value: unknown; close?: (v: unknown) => void | Promise<void> }>();
  private readonly imagesAdded: ImagesAddedListener[] = [];
  private closed = false;

  private constructor(
    readonly dir: string,
    env: NodeJS.ProcessEnv,
    options: OpenOptions,
  ) {
    this.config = loadConfig(dir, env);
    // Until the catalogue is open nothing may be written here: the log waits to know whether this is the owner.
    const catalog = openLibraryCatalog(dir, {
      access: options.access ?? 'write',
      app: options.app ?? 'cli',
      onLockLost: (reason) => this.log.error({ reason }, `this process lost the library's owner lock: ${reason}`),
      onMigrating: options.onMigrating,
    });
    this.db = catalog.db;
    this.lock = catalog.lock;
    this.readOnlyReason = catalog.readOnly;
    this.closeCatalog = catalog.close;
    try {
      // Only the owner writes the log file: readers and read-only libraries leave the library folder untouched.
      this.logs = openLibraryLog(dir, this.lock !== null, options.log);
      this.log = this.logs.log;
      this.log.info(
        { dir, access: this.readOnlyReason ? 'read-only' : 'owner', app: options.app ?? 'cli' },
        this.readOnlyReason ? `library opened read-only: ${this.readOnlyReason}` : 'library opened as its owner',
      );
      this.jobs = new JobRunner(this.db, (job) => this.emit('job.progress', job), { owner: this.lock !== null, log: this.log });
      this.events.setMaxListeners(100);
      registerDomainHooks(this);
    } catch (err) {
      // A library that failed to open must not keep the catalogue open or the lock held.
      catalog.close();
      catalog.lock?.release();
      throw err;
    }
  }

  /** Opens (creating if needed) the library folder: as its owner, or read-only (see OpenOptions.access). */
  static open(dir: string, options: OpenOptions = {}): Library {
    const absolute = path.resolve(dir);
    ensureLibraryFolder(absolute, options.access ?? 'write');
    return new Library(absolute, options.env ?? process.env, options);
  }

  get readOnly(): boolean {
    return this.readOnlyReason !== null;
  }

  /** The owner lock this library holds, or null when it was opened read-only. */
  get lockInfo(): LibraryLockInfo | null {
    return this.lock?.info ?? null;
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
    if (this.readOnlyReason !== null && METHOD_ACCESS[method] === 'write')
      throw new SporeprintError('LIBRARY_READ_ONLY', `${method} changes the library, but ${this.readOnlyReason}`);
    const started = Date.now();
    try {
      const handler = await handlerOf(method);
      const value = await handler(this, parsed.data as never);
      const ms = Date.now() - started;
      this.log.debug({ method, ms }, `${method} answered in ${ms} ms`);
      return value;
    } catch (err) {
      // A read that would have written (another duplicate threshold, say) says why instead of SQLite's words.
      if (this.readOnlyReason !== null && isReadOnlyFailure(err))
        throw new SporeprintError('LIBRARY_READ_ONLY', `${method} would change the library, but ${this.readOnlyReason}`);
      this.report(err, method);
      throw err;
    }
  }

  /** Logs a failure: a user's error (bad input, a missing model) as a debug line, anything else with its stack. */
  report(err: unknown, context: string): void {
    if (err instanceof SporeprintError && err.code !== 'INTERNAL') this.log.debug({ code: err.code }, `${context}: ${err.message}`);
    else this.log.error({ err }, `${context} failed: ${err instanceof Error ? err.message : String(err)}`);
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
    this.closeCatalog();
    this.lock?.release();
    this.log.info('library closed');
    await this.logs.close();
  }
}

/** SQLite refusing a write on a read-only connection, or the filesystem refusing one in the library folder. */
function isReadOnlyFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES');
}

/**
 * A library is a folder: a file there is a clear error, not ENOTDIR from deep inside. The owner creates a missing
 * folder; a reader does not (it sees an empty library and leaves nothing behind).
 */
function ensureLibraryFolder(dir: string, access: LibraryAccess): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new SporeprintError('INVALID_INPUT', 'is a file, not a folder: a library is a folder (created when missing)', dir);
    return;
  }
  if (access === 'read') return;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST')
      throw new SporeprintError('INVALID_INPUT', 'cannot be created: a part of its path is a file, not a folder', dir);
    throw err;
  }
}
