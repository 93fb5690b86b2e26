// The desktop app's notice while a library's catalogue is brought up to date before its main window can open.
import { describe, expect, it, vi } from 'vitest';

interface FakeWindow {
  options: Record<string, unknown>;
  urls: string[];
  destroyed: boolean;
  handlers: Map<string, () => void>;
  navigationBlocked: boolean;
}
const windows: FakeWindow[] = [];

vi.mock('electron', () => ({
  BrowserWindow: class {
    private readonly w: FakeWindow;
    readonly webContents;
    constructor(options: Record<string, unknown>) {
      this.w = { options, urls: [], destroyed: false, handlers: new Map(), navigationBlocked: false };
      windows.push(this.w);
      this.webContents = {
        on: (event: string, handler: (e: { preventDefault: () => void }) => void) => {
          if (event === 'will-navigate') handler({ preventDefault: () => (this.w.navigationBlocked = true) });
        },
      };
    }
    setMenuBarVisibility() {}
    on(event: string, handler: () => void) {
      this.w.handlers.set(event, handler);
    }
    loadURL(url: string) {
      this.w.urls.push(url);
      return Promise.resolve();
    }
    destroy() {
      this.w.destroyed = true;
      this.w.handlers.get('closed')?.();
    }
  },
}));

const { createMigrationNotice, migrationNoticePage } = await import('../../../src-main/electron/migration-notice');
const pageOf = (url: string) => decodeURIComponent(url.replace(/^data:text\/html;charset=utf-8,/, ''));

describe('the migration notice', () => {
  it('shows the announcement in one sandboxed window without script, its progress beneath it, and closes', () => {
    const notice = createMigrationNotice();
    notice.show('updating the catalogue: rewriting its 1,000,000 stored vectors');
    notice.show('updating the catalogue: 100,000 of 1,000,000 stored vectors rewritten (10 %)');
    expect(windows).toHaveLength(1);
    const [w] = windows;
    expect(w!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false });
    expect(w!.navigationBlocked).toBe(true);
    expect(pageOf(w!.urls[0]!)).toContain('<p>Updating the catalogue: rewriting its 1,000,000 stored vectors.</p>');
    expect(pageOf(w!.urls[1]!)).toContain(
      '<p>Updating the catalogue: rewriting its 1,000,000 stored vectors.</p>' +
        '<p>Updating the catalogue: 100,000 of 1,000,000 stored vectors rewritten (10 %).</p>',
    );
    notice.close();
    expect(w!.destroyed).toBe(true);
    // Closing again (the app closes it on every path) is harmless; a later announcement opens a new one.
    notice.close();
    notice.show('again');
    expect(windows).toHaveLength(2);
  });

  it('escapes the text and allows nothing to load', () => {
    const page = migrationNoticePage('a <script>alert(1)</script> & "quotes"');
    expect(page).toContain('A &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;.');
    expect(page).not.toContain('<script>');
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});
