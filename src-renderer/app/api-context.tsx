// Server state: the transport in context, react-query hooks keyed by method and input, events into the cache.
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ApiInput, ApiMethod, ApiOutput } from '../../src-shared/api';
import type { Job } from '../../src-shared/model';
import type { Transport } from './transport';

const TransportContext = createContext<Transport | null>(null);

export function useTransport(): Transport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('useTransport outside <ApiProvider>');
  return transport;
}

export function apiKey<M extends ApiMethod>(method: M, input: ApiInput<M>): readonly unknown[] {
  return [method, input];
}

/** A query of one API method; the key is (method, input) so equal calls share a cache entry. */
export function useApi<M extends ApiMethod>(
  method: M,
  input: ApiInput<M>,
  options: Omit<UseQueryOptions<ApiOutput<M>, Error>, 'queryKey' | 'queryFn'> = {},
) {
  const transport = useTransport();
  return useQuery<ApiOutput<M>, Error>({ queryKey: apiKey(method, input), queryFn: () => transport.invoke(method, input), ...options });
}

/** A mutation of one API method; by default everything cached is refreshed afterwards. */
export function useApiMutation<M extends ApiMethod>(method: M, options: { invalidate?: boolean } = {}) {
  const transport = useTransport();
  const client = useQueryClient();
  return useMutation<ApiOutput<M>, Error, ApiInput<M>>({
    mutationFn: (input) => transport.invoke(method, input),
    onSuccess: () => {
      if (options.invalidate !== false) void client.invalidateQueries();
    },
  });
}

/** A job's latest state: fetched once, then kept current by job.progress events. */
export function useJob(jobId: number | null) {
  return useApi(
    'jobs.get',
    { id: jobId ?? 1 },
    { enabled: jobId !== null, refetchInterval: (q) => (q.state.data?.status === 'running' ? 2000 : false) },
  );
}

/**
 * The verify queue is a snapshot the curator walks through: refreshing it under them would move the photo they are on.
 * The diagnostics load native modules and connect to servers: they run when asked, not on every change.
 */
const SNAPSHOT_METHODS = new Set<string>(['labels.queue', 'diagnostics.get']);
function refreshesOnChange(key: readonly unknown[]): boolean {
  return !SNAPSHOT_METHODS.has(String(key[0]));
}

function EventBridge({ transport, client }: { transport: Transport; client: QueryClient }) {
  useEffect(() => {
    const offProgress = transport.on('job.progress', (job: Job) => {
      client.setQueryData(apiKey('jobs.get', { id: job.id }), job);
      // A finished job changed the catalogue: refresh what the views show.
      if (job.status !== 'running')
        void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'jobs.get' && refreshesOnChange(q.queryKey) });
    });
    const offChanged = transport.on(
      'catalog.changed',
      () => void client.invalidateQueries({ predicate: (q) => refreshesOnChange(q.queryKey) }),
    );
    return () => {
      offProgress();
      offChanged();
    };
  }, [transport, client]);
  return null;
}

export function ApiProvider({ transport, client, children }: { transport: Transport; client?: QueryClient; children: ReactNode }) {
  const [queryClient] = useState(
    () => client ?? new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 5_000, refetchOnWindowFocus: false } } }),
  );
  return (
    <TransportContext.Provider value={transport}>
      <QueryClientProvider client={queryClient}>
        <EventBridge transport={transport} client={queryClient} />
        {children}
      </QueryClientProvider>
    </TransportContext.Provider>
  );
}
