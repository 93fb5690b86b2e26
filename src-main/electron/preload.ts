// Preload (sandboxed, bundled as CommonJS): exposes window.sporeprint, typed from the shared contract.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiEventName, ApiEvents, ApiInput, ApiMethod } from '../../src-shared/api';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_PICK_FOLDERS_CHANNEL,
  IPC_SYNC_PASSWORD_CHANNEL,
  type EventEnvelope,
  type InvokeEnvelope,
  type SporeprintBridge,
  type SyncPasswordReply,
  type SyncPasswordRequest,
} from '../../src-shared/transport';

const syncPassword = (request: SyncPasswordRequest) => ipcRenderer.invoke(IPC_SYNC_PASSWORD_CHANNEL, request) as Promise<SyncPasswordReply>;

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
  setSyncPassword: (url, password) => syncPassword({ action: 'set', url, password }),
  forgetSyncPassword: (url) => syncPassword({ action: 'forget', url }),
};

contextBridge.exposeInMainWorld('sporeprint', bridge);
