// Preload (sandboxed, bundled as CommonJS): exposes window.sporeprint, typed from the shared contract.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiEventName, ApiEvents, ApiInput, ApiMethod } from '../../src-shared/api';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_PICK_FOLDERS_CHANNEL,
  type EventEnvelope,
  type InvokeEnvelope,
  type SporeprintBridge,
} from '../../src-shared/transport';

const bridge: SporeprintBridge = {
  invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<InvokeEnvelope<M>> {
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input) as Promise<InvokeEnvelope<M>>;
  },
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const handler = (_: unknown, envelope: EventEnvelope) => {
      if (envelope.event === event) listener(envelope.payload as ApiEvents[E]);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  pickFolders: () => ipcRenderer.invoke(IPC_PICK_FOLDERS_CHANNEL) as Promise<string[]>,
};

contextBridge.exposeInMainWorld('sporeprint', bridge);
