// The application menu: standard edit/view/window roles, view switching the renderer listens to, Help > Diagnostics.
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

export function buildAppMenu(getWindow: () => BrowserWindow | null): Menu {
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
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'Go', submenu: views.map(([label, hash, accelerator]) => ({ label, accelerator, click: go(hash) })) },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    // What this machine runs and what is missing (the same checks as `sporeprint doctor`).
    { role: 'help', submenu: [{ label: 'Diagnostics', click: go('#/diagnostics') }] },
  ];
  return Menu.buildFromTemplate(template);
}
