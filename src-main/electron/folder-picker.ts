// The native folder picker for Import, answered only to the app's own renderer.
import { BrowserWindow, dialog, ipcMain } from 'electron';
import { IPC_PICK_FOLDERS_CHANNEL } from '../../src-shared/transport';

export function bindFolderPicker(rendererUrlPrefix: string): () => void {
  const prefix = rendererUrlPrefix.endsWith('/') ? rendererUrlPrefix : `${rendererUrlPrefix}/`;
  ipcMain.handle(IPC_PICK_FOLDERS_CHANNEL, async (event): Promise<string[]> => {
    if (!(event.senderFrame?.url ?? '').startsWith(prefix)) return [];
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = {
      title: 'Folders to import',
      properties: ['openDirectory', 'multiSelections'] as ('openDirectory' | 'multiSelections')[],
    };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  });
  return () => ipcMain.removeHandler(IPC_PICK_FOLDERS_CHANNEL);
}
