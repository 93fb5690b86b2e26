// Worker-thread entry that owns the Library, so catalogue queries and job bookkeeping never block the routing thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiEventName, ApiInput, ApiMethod } from '../../src-shared/api';
import type { EventEnvelope } from '../../src-shared/transport';
import { toErrorPayload } from '../core/errors';
import { Library } from '../core/library';
import type { HostReply, HostRequest } from './library-host-messages';

const port = parentPort!;
const post = (reply: HostReply) => port.postMessage(reply);
const EVENT_NAMES: ApiEventName[] = ['job.progress', 'catalog.changed'];

try {
  const lib = Library.open((workerData as { dir: string }).dir);
  for (const event of EVENT_NAMES) lib.on(event, (payload) => post({ type: 'event', envelope: { event, payload } as EventEnvelope }));
  port.on('message', (request: HostRequest) => {
    if (request.type === 'close') {
      void lib.close().finally(() => post({ type: 'closed' }));
      return;
    }
    lib.invoke(request.method, request.input as ApiInput<ApiMethod>).then(
      (value) => post({ type: 'result', id: request.id, envelope: { ok: true, value } }),
      (err: unknown) => post({ type: 'result', id: request.id, envelope: { ok: false, error: toErrorPayload(err) } }),
    );
  });
  post({ type: 'ready', dir: lib.dir });
} catch (err) {
  post({ type: 'fatal', message: `cannot open the library: ${(err as Error).message}` });
}
