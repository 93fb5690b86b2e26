// The library's own thread: owns the Library, so catalogue queries and job bookkeeping never block the routing thread.
import type { MessagePort } from 'node:worker_threads';
import { API_EVENT_NAMES, type ApiInput, type ApiMethod } from '../../src-shared/api';
import type { EventEnvelope } from '../../src-shared/transport';
import { SporeprintError, toErrorPayload } from '../core/errors';
import { Library } from '../core/library';
import { setSyncPasswordProvider } from '../core/sync/handlers';
import type { PasswordProvider } from '../core/sync/pg-connection';
import type { HostReply, HostRequest, HostWorkerData } from './library-host-messages';

/** Opens the library named in `data` and answers the routing thread's requests on `port` until it asks to close. */
export function hostLibrary(port: MessagePort, data: HostWorkerData): void {
  const post = (reply: HostReply) => port.postMessage(reply);

  /** Password requests waiting for the routing thread's keychain, by request id. */
  const waiting = new Map<number, { resolve: (password: string | undefined) => void; reject: (err: Error) => void }>();
  let nextPasswordId = 1;

  /** Asks the routing thread (the app's keychain) for a password; the password never touches the library. */
  const askRoutingThread: PasswordProvider = (target) =>
    new Promise((resolve, reject) => {
      const id = nextPasswordId++;
      waiting.set(id, { resolve, reject });
      post({
        type: 'password-request',
        id,
        target: { host: target.host, port: target.port, database: target.database, user: target.user },
      });
    });

  const answerPassword = (reply: Extract<HostRequest, { type: 'password-reply' }>): void => {
    const request = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error !== undefined) request?.reject(new SporeprintError('SYNC_FAILED', `cannot read the sync password: ${reply.error}`));
    else request?.resolve(reply.password);
  };

  let lib: Library;
  try {
    lib = Library.open(data.dir, {
      app: data.app ?? 'desktop',
      log: { verbose: data.verbose ?? false, echo: (line) => process.stderr.write(`${line}\n`) },
      // The routing thread says it where its user looks (the desktop app in a window, serve on stderr).
      onMigrating: (what) => post({ type: 'migrating', what }),
    });
  } catch (err) {
    // The code travels with it: LIBRARY_IN_USE names the other owner, for the app or serve to show.
    post({ type: 'fatal', error: toErrorPayload(err) });
    return;
  }
  // Without a provider (serve, CLI) the core keeps PGPASSWORD and ~/.pgpass.
  if (data.passwordProvider) setSyncPasswordProvider(lib, askRoutingThread);
  for (const event of API_EVENT_NAMES) lib.on(event, (payload) => post({ type: 'event', envelope: { event, payload } as EventEnvelope }));
  port.on('message', (request: HostRequest) => {
    if (request.type === 'password-reply') {
      answerPassword(request);
      return;
    }
    if (request.type === 'report') {
      lib.report(Object.assign(new Error(request.message), { stack: request.stack }), request.context);
      return;
    }
    if (request.type === 'close') {
      // A sync waiting for a password must not keep the close waiting for an answer that will not come.
      for (const { reject } of waiting.values()) reject(new SporeprintError('CANCELLED', 'the library is closing'));
      waiting.clear();
      void lib.close().finally(() => post({ type: 'closed' }));
      return;
    }
    lib.invoke(request.method, request.input as ApiInput<ApiMethod>).then(
      (value) => post({ type: 'result', id: request.id, envelope: { ok: true, value } }),
      (err: unknown) => post({ type: 'result', id: request.id, envelope: { ok: false, error: toErrorPayload(err) } }),
    );
  });
  post({ type: 'ready', dir: lib.dir, lock: lib.lockInfo });
}
