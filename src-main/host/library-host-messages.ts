// Messages between a routing thread (Electron main, serve) and the worker thread that owns the library.
import type { ApiErrorPayload, ApiMethod } from '../../src-shared/api';
import type { LibraryLockInfo, LockApp } from '../core/library-lock';
import type { EventEnvelope, InvokeEnvelope } from '../../src-shared/transport';

/** Who a sync password is for: what the core's PasswordProvider receives (never the password itself). */
export interface PasswordTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** What the routing thread passes as workerData; `passwordProvider` says it answers password requests. */
export interface HostWorkerData {
  dir: string;
  passwordProvider?: boolean;
  /** Who the library's owner lock names (default 'desktop'). */
  app?: LockApp;
  /** Debug lines in the log, echoed to stderr (`serve --verbose`). */
  verbose?: boolean;
}

export type HostRequest =
  | { type: 'invoke'; id: number; method: ApiMethod; input: unknown }
  /** The answer to a password-request: undefined falls through to PGPASSWORD and ~/.pgpass; `error` fails the sync in words. */
  | { type: 'password-reply'; id: number; password: string | undefined; error?: string }
  /** A fault of the routing thread, for the library's log (which this thread writes). */
  | { type: 'report'; context: string; message: string; stack?: string }
  | { type: 'close' };

export type HostReply =
  /**
   * Before 'ready': the catalogue is being brought up to date first, and what that does (a migration that announces
   * itself, e.g. rewriting a million stored vectors, can take minutes).
   */
  | { type: 'migrating'; what: string }
  /** `lock`: the owner lock the thread took, so the routing thread can remove it should the thread die. */
  | { type: 'ready'; dir: string; lock: LibraryLockInfo | null }
  | { type: 'result'; id: number; envelope: InvokeEnvelope }
  | { type: 'event'; envelope: EventEnvelope }
  /** The sync job needs a password: the routing thread asks its keychain and answers with a password-reply. */
  | { type: 'password-request'; id: number; target: PasswordTarget }
  | { type: 'closed' }
  | { type: 'fatal'; error: ApiErrorPayload };
