// The main window, hardened: isolated, sandboxed, no Node, no navigation, no popups, no permissions.
import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';

export type RendererSource = { file: string } | { url: string };

/** `hash` opens the renderer on a route (e.g. '/import'); without it the renderer picks its own. */
export function createMainWindow(preloadPath: string, source: RendererSource, hash?: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Sporeprint',
    backgroundColor: '#16181d',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void ('url' in source
    ? window.loadURL(hash ? `${source.url}#${hash}` : source.url)
    : window.loadFile(path.resolve(source.file), hash ? { hash } : undefined));
  return window;
}

/** Denies every permission request (camera, notifications, geolocation ...) and any remote request but the dev server's. */
export function hardenSession(devServerUrl: string | null): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    // No remote content: the renderer is local files and the media protocol; online sources run in main's core.
    callback({ cancel: !(devServerUrl && details.url.startsWith(new URL(devServerUrl).origin)) });
  });
}
