// Transport of the desktop app: window.sporeprint from the preload, images over sporeprint-media://.
import type { ApiInput, ApiMethod, ApiOutput } from '../../src-shared/api';
import { MEDIA_ORIGINAL_HOST, MEDIA_PROTOCOL, type SporeprintBridge } from '../../src-shared/transport';
import { ApiError } from './api-error';
import type { Transport } from './transport';

export function createIpcTransport(bridge: SporeprintBridge): Transport {
  return {
    kind: 'ipc',
    async invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      const envelope = await bridge.invoke(method, input);
      if (!envelope.ok) throw new ApiError(envelope.error);
      return envelope.value;
    },
    on: (event, listener) => bridge.on(event, listener),
    pathForFile: (file) => bridge.pathForFile(file) || null,
    pickFolders: () => bridge.pickFolders(),
    mediaUrl: (relativePath) => `${MEDIA_PROTOCOL}://${relativePath.split('/').map(encodeURIComponent).join('/')}`,
    originalUrl: (imageId) => `${MEDIA_PROTOCOL}://${MEDIA_ORIGINAL_HOST}/${imageId}`,
  };
}
