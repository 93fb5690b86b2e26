// While the library's catalogue is brought up to date before it opens (minutes for a large one), a small window says
// what is happening: the main window opens only once the library has, and without this nothing would show at all.
import { BrowserWindow } from 'electron';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const asSentence = (what: string) => `${escapeHtml(what.charAt(0).toUpperCase() + what.slice(1))}.`;

/**
 * The notice's page: what the update is about to do and, once it tells, how far it is; escaped, no script, nothing
 * loaded (its policy allows only inline style).
 */
export function migrationNoticePage(what: string, progress: string | null = null): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Sporeprint</title>
<style>body{margin:0;padding:24px 28px;font:14px/1.5 system-ui,sans-serif;background:#16181d;color:#e8e8ea}
h1{font-size:16px;margin:0 0 10px}p{margin:0 0 8px}.muted{color:#9a9ca5}</style></head>
<body><h1>Opening your library</h1><p>${asSentence(what)}</p>${progress ? `<p>${asSentence(progress)}</p>` : ''}
<p class="muted">The main window opens when this is done.</p></body></html>`;
}

export interface MigrationNotice {
  /** Shows the notice with the update's announcement; what it tells after that (its progress) goes beneath it. */
  show(what: string): void;
  close(): void;
}

export function createMigrationNotice(): MigrationNotice {
  let window: BrowserWindow | null = null;
  let announcement = '';
  return {
    show(what) {
      const progress = window ? what : null;
      if (!window) {
        announcement = what;
        window = new BrowserWindow({
          width: 560,
          height: 220,
          resizable: false,
          title: 'Sporeprint',
          backgroundColor: '#16181d',
          webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false },
        });
        window.setMenuBarVisibility(false);
        window.webContents.on('will-navigate', (event) => event.preventDefault());
        window.on('closed', () => (window = null));
      }
      void window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(migrationNoticePage(announcement, progress))}`);
    },
    close() {
      window?.destroy();
      window = null;
    },
  };
}
