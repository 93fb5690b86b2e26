// Chooses the transport at start: the preload's bridge in the desktop app, else HTTP with the token from the URL.
import type { SporeprintBridge } from '../../src-shared/transport';
import { TOKEN_QUERY } from '../../src-shared/transport';
import { createHttpTransport } from './http-transport';
import { createIpcTransport } from './ipc-transport';
import type { Transport } from './transport';

interface HostWindow {
  sporeprint?: SporeprintBridge;
  location: { origin: string; search: string };
}

export function pickTransport(win: HostWindow): Transport {
  if (win.sporeprint) return createIpcTransport(win.sporeprint);
  const token = new URLSearchParams(win.location.search).get(TOKEN_QUERY);
  if (!token)
    throw new Error(`no access token in the address; open the URL that "sporeprint serve" printed (it ends in ?${TOKEN_QUERY}=...)`);
  return createHttpTransport({ baseUrl: win.location.origin, token });
}
