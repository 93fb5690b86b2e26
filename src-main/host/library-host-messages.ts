// Messages between a routing thread (Electron main, serve) and the worker thread that owns the library.
import type { ApiMethod } from '../../src-shared/api';
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
}

export type HostRequest =
  | { type: 'invoke'; id: number; method: ApiMethod; input: unknown }
  /** The answer to a password-request: undefined falls through to PGPASSWORD and ~/.pgpass; `error` fails the sync in words. */
  | { type: 'password-reply'; id: number; password: string | undefined; error?: string }
  | { type: 'close' };

export type HostReply =
  | { type: 'ready'; dir: string }
  | { type: 'result'; id: number; envelope: InvokeEnvelope }
  | { type: 'event'; envelope: EventEnvelope }
  /** The sync job needs a password: the routing thread asks its keychain and answers with a password-reply. */
  | { type: 'password-request'; id: number; target: PasswordTarget }
  | { type: 'closed' }
  | { type: 'fatal'; message: string };
