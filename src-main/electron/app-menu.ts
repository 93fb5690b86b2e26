// The application menu: standard edit/view/window roles, view switching the renderer listens to, and Help with
// Diagnostics and the library's log folder (what a curator sends us when something failed).
import { mkdirSync } from 'node:fs';
import { Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  /** <library>/logs: opened in the system's file manager from Help. */
  logFolder: string;
}

export function appMenuTemplate(getWindow: () => BrowserWindow | null, options: AppMenuOptions): MenuItemConstructorOptions[] {
  const go = (hash: string) => () => void getWindow()?.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`);
  const views: [string, string, string][] = [
    ['Import', '#/import', 'CmdOrCtrl+1'],
    ['Library', '#/library', 'CmdOrCtrl+2'],
    ['Verify', '#/verify', 'CmdOrCtrl+3'],
    ['Duplicates', '#/duplicates', 'CmdOrCtrl+4'],
    ['Search', '#/search', 'CmdOrCtrl+5'],
    ['Export', '#/export', 'CmdOrCtrl+6'],
    ['Sync', '#/sync', 'CmdOrCtrl+7'],
    ['Dashboard', '#/dashboard', 'CmdOrCtrl+8'],
  ];
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'Go', submenu: views.map(([label, hash, accelerator]) => ({ label, accelerator, click: go(hash) })) },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        // What this machine runs and what is missing (the same checks as `sporeprint doctor`).
        { label: 'Diagnostics', click: go('#/diagnostics') },
        {
          label: 'Open Log Folder',
          click: () => {
            // A fresh library has no log folder yet: an empty one still shows where the logs will be.
            try {
              mkdirSync(options.logFolder, { recursive: true });
            } catch {
              // a read-only library: open what is there, or let the file manager say it is missing
            }
            void shell.openPath(options.logFolder);
          },
        },
      ],
    },
  ];
}

export function buildAppMenu(getWindow: () => BrowserWindow | null, options: AppMenuOptions): Menu {
  return Menu.buildFromTemplate(appMenuTemplate(getWindow, options));
}
