// Transport of browser mode (`sporeprint serve`): POST /api/<method> with the token header, events over SSE.
import type { ApiErrorPayload, ApiEventName, ApiEvents, ApiInput, ApiMethod, ApiOutput } from '../../src-shared/api';
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_MEDIA_PREFIX,
  HTTP_ORIGINAL_PREFIX,
  TOKEN_HEADER,
  TOKEN_QUERY,
  type EventEnvelope,
} from '../../src-shared/transport';
import { ApiError } from './api-error';
import type { Transport } from './transport';

export interface HttpTransportOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const listeners = new Map<ApiEventName, Set<(payload: never) => void>>();
  let source: EventSource | null = null;

  function ensureEventSource(): void {
    const Source = options.EventSource ?? globalThis.EventSource;
    if (source || !Source) return;
    source = new Source(`${base}${HTTP_EVENTS_PATH}?${TOKEN_QUERY}=${encodeURIComponent(options.token)}`);
    source.onmessage = (message: MessageEvent<string>) => {
      const envelope = JSON.parse(message.data) as EventEnvelope;
      for (const listener of listeners.get(envelope.event) ?? []) (listener as (p: typeof envelope.payload) => void)(envelope.payload);
    };
  }

  return {
    kind: 'http',
    async invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      let response: Response;
      try {
        response = await doFetch(`${base}${HTTP_API_PREFIX}${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: options.token },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        throw new ApiError({ code: 'INTERNAL', message: `cannot reach the Sporeprint server at ${base}: ${(err as Error).message}` });
      }
      const body = (await response.json().catch(() => null)) as { value?: ApiOutput<M>; error?: ApiErrorPayload } | null;
      if (!response.ok || !body || body.error) {
        throw new ApiError(body?.error ?? { code: 'INTERNAL', message: `${method} failed with HTTP ${response.status}` });
      }
      return body.value as ApiOutput<M>;
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      ensureEventSource();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    pathForFile: () => null,
    pickFolders: null,
    mediaUrl: (relativePath) => `${base}${HTTP_MEDIA_PREFIX}${relativePath.split('/').map(encodeURIComponent).join('/')}`,
    originalUrl: (imageId) => `${base}${HTTP_ORIGINAL_PREFIX}${imageId}`,
  };
}
