// The app menu's Help > Diagnostics and Help > Open Log Folder. Electron cannot launch here, so Menu and shell are stand-ins recording what
// the glue asks of them; the folder is real.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { logFolder } from '../../../src-main/core/logging/library-log';
import { parseHash } from '../../../src-renderer/state/route-store';
import { makeTempDir } from '../../fixtures/temp-library';

const opened = vi.hoisted(() => [] as string[]);
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
  shell: { openPath: async (p: string) => (opened.push(p), '') },
}));
const { appMenuTemplate, buildAppMenu } = await import('../../../src-main/electron/app-menu');

describe('the application menu', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('has Help > Open Log Folder, which opens the library log folder (creating it for a fresh library)', () => {
    const folder = logFolder(path.join(temp.dir, 'library'));
    const template = appMenuTemplate(() => null, { logFolder: folder });
    const help = template.find((item) => item.role === 'help');
    const items = help?.submenu as MenuItemConstructorOptions[];
    const open = items.find((item) => item.label === 'Open Log Folder')!;
    open.click!({} as never, undefined, {} as never);
    expect(opened).toEqual([folder]);
    expect(existsSync(folder)).toBe(true);
    expect(buildAppMenu(() => null, { logFolder: folder })).toEqual({ template: expect.any(Array) });
  });

  it('has Help > Diagnostics, which takes the window to the Diagnostics view', () => {
    const ran: string[] = [];
    const window = { webContents: { executeJavaScript: async (code: string) => void ran.push(code) } } as unknown as BrowserWindow;
    const help = appMenuTemplate(() => window, { logFolder: temp.dir }).find((item) => item.role === 'help');
    const diagnostics = (help?.submenu as MenuItemConstructorOptions[]).find((item) => item.label === 'Diagnostics')!;
    diagnostics.click!({} as never, undefined, {} as never);
    expect(ran).toEqual(['location.hash = "#/diagnostics"']);
    // The renderer reads that hash as its Diagnostics view (test/e2e/diagnostics.test.ts opens it in Chromium).
    expect(parseHash('#/diagnostics').view).toBe('diagnostics');
  });
});
