// What every domain handler receives: the open catalogue, the library folder, jobs, events, settings.
import type { ApiEventName, ApiEvents } from '../../src-shared/api';
import type { Db } from './catalog/database';
import type { Config } from './config';
import type { JobContext, JobRunner } from './jobs/job-runner';
import type { Logger } from './logging/library-log';

export interface LibraryContext {
  readonly dir: string;
  readonly db: Db;
  readonly jobs: JobRunner;
  readonly config: Config;
  /** True when this process may not change the library (read-only storage, or a reader beside the owner). */
  readonly readOnly: boolean;
  /** Why (a sentence), or null for the library's owner. */
  readonly readOnlyReason: string | null;
  /** The library's log (core/logging): the owner's goes to <library>/logs/. */
  readonly log: Logger;
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
  /**
   * Registers work that follows the commit of new images (ingest, fetch, import): e.g. fingerprint clustering
   * or embedding. Listeners run in registration order inside the adding job and must be idempotent.
   */
  onImagesAdded(listener: ImagesAddedListener): void;
  /**
   * Runs the listeners on every image whose follow-up is still queued in the catalogue: the calling job's, and
   * any a killed or failed earlier run left. Returns how many images that was.
   */
  completeFollowups(job: JobContext): Promise<number>;
  /** A per-library singleton (an index, a provider), created on first use and closed with the library. */
  service<T>(key: string, create: () => T, close?: (value: T) => void | Promise<void>): T;
}

export type ImagesAddedListener = (ctx: LibraryContext, imageIds: number[], job: JobContext) => Promise<void> | void;
