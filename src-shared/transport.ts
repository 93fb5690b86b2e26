// How the renderer reaches the API: channel names, HTTP routes and the bridge type, named once for both transports.
import type { ApiErrorPayload, ApiEventName, ApiEvents, ApiInput, ApiMethod, ApiOutput } from './api';

/** The one IPC channel every API call travels on (method name and input are in the message). */
export const IPC_INVOKE_CHANNEL = 'sporeprint:invoke';
/** The desktop-only native folder picker (not an API method: it has no meaning over HTTP). */
export const IPC_PICK_FOLDERS_CHANNEL = 'sporeprint:pick-folders';
/** The desktop-only sync password store (OS keychain): the password never travels through the library API. */
export const IPC_SYNC_PASSWORD_CHANNEL = 'sporeprint:sync-password';
/** The one IPC channel every pushed event travels on. */
export const IPC_EVENT_CHANNEL = 'sporeprint:event';

/** Custom protocol of the desktop app that serves derivative images, e.g. sporeprint-media://derivatives/ab/<sha>/thumb.jpg */
export const MEDIA_PROTOCOL = 'sporeprint-media';

/** HTTP routes of `sporeprint serve`. */
export const HTTP_API_PREFIX = '/api/';
export const HTTP_EVENTS_PATH = '/events';
export const HTTP_MEDIA_PREFIX = '/media/';
/** An image's original (or its full-size conversion) by image id, e.g. /original/12: the loupe's 100 %. */
export const HTTP_ORIGINAL_PREFIX = '/original/';
/** The same in the desktop app: sporeprint-media://original/12 (this host is never a derivative path's first part). */
export const MEDIA_ORIGINAL_HOST = 'original';
/** The per-run token: header for API calls, query parameter or cookie for GETs the browser makes itself (img, EventSource). */
export const TOKEN_HEADER = 'x-sporeprint-token';
export const TOKEN_QUERY = 'token';
export function tokenCookieName(port: number): string {
  // Cookies ignore the port, so two servers on one host must not share a name.
  return `sporeprint_token_${port}`;
}

/** What crosses IPC for one call: errors travel as data because Electron flattens thrown errors to a string. */
export type InvokeEnvelope<M extends ApiMethod = ApiMethod> = { ok: true; value: ApiOutput<M> } | { ok: false; error: ApiErrorPayload };

/** One event as it crosses IPC or SSE. */
export type EventEnvelope = { [E in ApiEventName]: { event: E; payload: ApiEvents[E] } }[ApiEventName];

/** What the renderer asks of the keychain channel; `url` is a postgres:// URL without a password. */
export type SyncPasswordRequest = { action: 'set'; url: string; password: string } | { action: 'forget'; url: string };

/** The keychain's answer, as data like InvokeEnvelope; `key` names the target (user@host:port/database). */
export type SyncPasswordReply = { ok: true; key: string } | { ok: false; error: ApiErrorPayload };

/** What the preload exposes as `window.sporeprint`. */
export interface SporeprintBridge {
  /** Resolves to an envelope rather than throwing: errors must keep their code across contextBridge. */
  invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<InvokeEnvelope<M>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** The filesystem path of a dropped file or folder (Electron's webUtils; a browser never reveals it). */
  pathForFile(file: File): string;
  /** Opens the system folder picker; resolves to the chosen folders (empty when cancelled). */
  pickFolders(): Promise<string[]>;
  /** Desktop only (absent in the browser): saves the password for the URL's target in the OS keychain, encrypted, outside the library. */
  setSyncPassword?(url: string, password: string): Promise<SyncPasswordReply>;
  /** Desktop only: removes the saved password for the URL's target. */
  forgetSyncPassword?(url: string): Promise<SyncPasswordReply>;
}
