// Messages between a routing thread (Electron main, serve) and the worker thread that owns the library.
import type { ApiMethod } from '../../src-shared/api';
import type { EventEnvelope, InvokeEnvelope } from '../../src-shared/transport';

export type HostRequest = { type: 'invoke'; id: number; method: ApiMethod; input: unknown } | { type: 'close' };

export type HostReply =
  | { type: 'ready'; dir: string }
  | { type: 'result'; id: number; envelope: InvokeEnvelope }
  | { type: 'event'; envelope: EventEnvelope }
  | { type: 'closed' }
  | { type: 'fatal'; message: string };
