// THE contract between renderer and main: every method (name -> zod input -> output) and every event.
// Each domain declares its methods in api/<domain>.ts; this file joins them into one map that the
// preload, the HTTP transport and library.ts are all typed from.
import type * as z from 'zod';
import { catalogApi } from './api/catalog';
import { doctorApi } from './api/doctor';
import { duplicatesApi } from './api/duplicates';
import { exportApi } from './api/export';
import { labelsApi } from './api/labels';
import { licensesApi } from './api/licenses';
import { searchApi } from './api/search';
import { sourcesApi } from './api/sources';
import { syncApi } from './api/sync';
import { taxaApi } from './api/taxa';
import type { ErrorCode, Job } from './model';

export const api = {
  ...catalogApi,
  ...labelsApi,
  ...duplicatesApi,
  ...searchApi,
  ...exportApi,
  ...syncApi,
  ...sourcesApi,
  ...doctorApi,
  ...licensesApi,
  ...taxaApi,
} as const;

export type Api = typeof api;
export type ApiMethod = keyof Api;
/** What a caller passes (defaults may be omitted). */
export type ApiInput<M extends ApiMethod> = z.input<Api[M]['input']>;
/** What the implementation receives after validation (defaults filled in). */
export type ApiParsedInput<M extends ApiMethod> = z.output<Api[M]['input']>;
export type ApiOutput<M extends ApiMethod> = Api[M]['output'];
export const API_METHODS = Object.keys(api) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** Events pushed from main to every window / HTTP client. */
export interface ApiEvents {
  'job.progress': Job;
  'catalog.changed': { reason: string };
  /** The library's thread stopped (running false, with the reason) or was reopened (running true). */
  'library.status': { running: boolean; reason: string | null };
}
export type ApiEventName = keyof ApiEvents;
/** Every event name, once: the IPC binding, the HTTP server and the library host forward exactly these. */
export const API_EVENT_NAMES = ['job.progress', 'catalog.changed', 'library.status'] as const satisfies readonly ApiEventName[];
// Compile-time: an event added to ApiEvents but not to the list above fails here instead of never being forwarded.
const everyEventListed: Exclude<ApiEventName, (typeof API_EVENT_NAMES)[number]> extends never ? true : false = true;
void everyEventListed;

/** The one invoke signature both transports implement. */
export type Invoke = <M extends ApiMethod>(method: M, input: ApiInput<M>) => Promise<ApiOutput<M>>;

/** How an error crosses a transport boundary. */
export interface ApiErrorPayload {
  code: ErrorCode;
  /** Full sentence, path included. */
  message: string;
  /** The same without the path. */
  reason?: string;
  path?: string;
  issues?: { path: string; message: string }[];
}
