// Binds the one invoke channel to Library.invoke and forwards library events to every window.
import { ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import type { ApiInput, ApiMethod } from '../../src-shared/api';
import { API_EVENT_NAMES, isApiMethod } from '../../src-shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type EventEnvelope, type InvokeEnvelope } from '../../src-shared/transport';
import { SporeprintError, toErrorPayload } from '../core/errors';
import type { ApiHost } from '../host/api-host';

/** Only our own renderer (loaded from the app's files) may call the API. */
function isTrustedSender(event: IpcMainInvokeEvent, rendererUrlPrefix: string): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(rendererUrlPrefix);
}

export function bindIpc(host: ApiHost, rendererUrlPrefix: string): () => void {
  // A trailing slash so that a sibling folder (out/renderer-other) never passes for the renderer.
  const prefix = rendererUrlPrefix.endsWith('/') ? rendererUrlPrefix : `${rendererUrlPrefix}/`;
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<InvokeEnvelope> => {
    try {
      if (!isTrustedSender(event, prefix)) throw new SporeprintError('INVALID_INPUT', 'API call from an untrusted frame');
      if (typeof method !== 'string' || !isApiMethod(method))
        throw new SporeprintError('INVALID_INPUT', `unknown method ${String(method)}`);
      // Library.invoke validates `input` with the contract's zod schema; CPU work runs in worker threads.
      const value = await host.invoke(method as ApiMethod, input as ApiInput<ApiMethod>);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toErrorPayload(err) };
    }
  });
  const unsubscribe = API_EVENT_NAMES.map((name) =>
    host.on(name, (payload) => {
      const envelope = { event: name, payload } as EventEnvelope;
      for (const contents of webContents.getAllWebContents()) {
        if (!contents.isDestroyed() && contents.getURL().startsWith(prefix)) contents.send(IPC_EVENT_CHANNEL, envelope);
      }
    }),
  );
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    for (const off of unsubscribe) off();
  };
}
