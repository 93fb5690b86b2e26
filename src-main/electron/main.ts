// Electron main process: single instance, menu, media protocol, IPC bound to the library. Glue only.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, safeStorage } from 'electron';
import { defaultLibraryDir } from '../core/config';
import { logFolder } from '../core/logging/library-log';
import { buildAppMenu } from './app-menu';
import { bindFolderPicker } from './folder-picker';
import { bindIpc } from './ipc-binding';
import { createSyncKeychain } from './keychain';
import { LibraryClient } from '../host/library-client';
import { firstView, viewHash } from './first-view';
import { createMainWindow, hardenSession } from './main-window';
import { createMigrationNotice } from './migration-notice';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { recordFirstStart } from './smoke-capture';
import { bindSyncPassword } from './sync-password-binding';

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '../preload/preload.cjs');
const rendererIndex = path.join(here, '../renderer/index.html');
// `electron-vite dev` serves the renderer with hot reload and names it here; built apps load files.
const devServerUrl = process.env.ELECTRON_RENDERER_URL ?? null;
const rendererUrlPrefix = devServerUrl ?? pathToFileURL(path.dirname(rendererIndex)).href;
const rendererSource = devServerUrl ? { url: devServerUrl } : { file: rendererIndex };

let mainWindow: BrowserWindow | null = null;
let library: LibraryClient | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerMediaScheme();
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(async () => {
    const libraryDir = process.env.SPOREPRINT_LIBRARY ?? defaultLibraryDir();
    // Sync passwords live encrypted in the user-data folder, never in the library; the worker asks for them by target.
    const keychain = createSyncKeychain({ safeStorage, userDataDir: app.getPath('userData'), libraryDir: path.resolve(libraryDir) });
    const notice = createMigrationNotice();
    try {
      // The library lives in a worker thread: SQLite queries and job bookkeeping never block this thread.
      library = await LibraryClient.open(libraryDir, {
        passwordProvider: keychain.getPassword,
        onMigrating: (what) => {
          process.stderr.write(`sporeprint: ${what}\n`);
          notice.show(what);
        },
      });
    } catch (err) {
      dialog.showErrorBox('Sporeprint cannot open its library', `${libraryDir}: ${(err as Error).message}`);
      notice.close();
      app.quit();
      return;
    }
    hardenSession(devServerUrl);
    handleMediaProtocol(library);
    bindIpc(library, rendererUrlPrefix);
    bindFolderPicker(rendererUrlPrefix);
    bindSyncPassword(keychain, rendererUrlPrefix);
    Menu.setApplicationMenu(buildAppMenu(() => mainWindow, { logFolder: logFolder(library.dir) }));
    // A first start (nothing imported yet) opens on Import.
    const view = await firstView(library).catch(() => null);
    mainWindow = createMainWindow(preloadPath, rendererSource, view ? viewHash(view) : undefined);
    mainWindow.on('closed', () => (mainWindow = null));
    // Only now: closing the notice while it was the only window would quit the app (window-all-closed).
    notice.close();
    const smokeOut = process.env.SPOREPRINT_SMOKE_OUT;
    if (smokeOut) {
      void recordFirstStart(mainWindow, smokeOut, library.dir)
        .catch((err: unknown) => console.error(`smoke capture failed: ${(err as Error).message}`))
        .finally(() => app.quit());
    }
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(preloadPath, rendererSource);
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (!library || closing) return;
    // Let running jobs checkpoint and the catalogue close cleanly before exit.
    event.preventDefault();
    closing = true;
    void library.close().finally(() => app.quit());
  });
}
