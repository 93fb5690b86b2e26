// The shell: navigation, hash routing, window-wide folder drop, and the current view.
import { QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type DragEvent } from 'react';
import { LibraryStoppedBanner } from '../components/library-stopped-banner';
import { useImportStore } from '../state/import-store';
import { useRoute, VIEWS, type ViewName } from '../state/route-store';
import { DashboardView } from '../views/dashboard/dashboard-view';
import { DetailView } from '../views/detail/detail-view';
import { DiagnosticsView } from '../views/diagnostics/diagnostics-view';
import { DuplicatesView } from '../views/duplicates/duplicates-view';
import { ExportView } from '../views/export/export-view';
import { ImportView } from '../views/import/import-view';
import { LibraryView } from '../views/library/library-view';
import { SearchView } from '../views/search/search-view';
import { SyncView } from '../views/sync/sync-view';
import { VerifyView } from '../views/verify/verify-view';
import { ApiProvider, useApi, useTransport } from './api-context';
import type { Transport } from './transport';

const TITLES: Record<ViewName, string> = {
  import: 'Import',
  library: 'Library',
  detail: 'Detail',
  verify: 'Verify',
  duplicates: 'Duplicates',
  search: 'Search',
  export: 'Export',
  sync: 'Sync',
  dashboard: 'Dashboard',
  diagnostics: 'Diagnostics',
};
// Detail opens from an image; Diagnostics from Help > Diagnostics (desktop) or the link under the views.
const NAV: ViewName[] = VIEWS.filter((v) => v !== 'detail' && v !== 'diagnostics');

function CurrentView({ view }: { view: ViewName }) {
  switch (view) {
    case 'import':
      return <ImportView />;
    case 'library':
      return <LibraryView />;
    case 'detail':
      return <DetailView />;
    case 'verify':
      return <VerifyView />;
    case 'duplicates':
      return <DuplicatesView />;
    case 'search':
      return <SearchView />;
    case 'export':
      return <ExportView />;
    case 'sync':
      return <SyncView />;
    case 'dashboard':
      return <DashboardView />;
    case 'diagnostics':
      return <DiagnosticsView />;
  }
}

function Shell() {
  const { view, go, syncFromHash } = useRoute();
  const transport = useTransport();
  const addPendingPaths = useImportStore((s) => s.addPendingPaths);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const info = useApi('library.info', {});

  useEffect(() => {
    syncFromHash(location.hash);
    const onHash = () => syncFromHash(location.hash);
    window.addEventListener('hashchange', onHash);
    // Alt+1..8 switch views from anywhere (the desktop menu uses Ctrl/Cmd+1..8).
    const onKey = (e: KeyboardEvent) => {
      const n = Number(e.key);
      if (e.altKey && n >= 1 && n <= NAV.length) {
        e.preventDefault();
        go(NAV[n - 1]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, [go, syncFromHash]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length === 0) return;
    const paths = files.map((f) => transport.pathForFile(f)).filter((p): p is string => Boolean(p));
    go('import');
    if (paths.length > 0) {
      addPendingPaths(paths);
      setDropNote(null);
    } else {
      setDropNote('Browsers do not reveal where dropped folders live: type the folder path below instead.');
    }
  };

  return (
    <div
      className={`shell${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <nav className="sidebar" aria-label="Views">
        <div className="brand">Sporeprint</div>
        {NAV.map((name, i) => (
          <button
            key={name}
            type="button"
            className={view === name ? 'active' : ''}
            aria-current={view === name ? 'page' : undefined}
            onClick={() => go(name)}
            title={`Alt+${i + 1}`}
          >
            {TITLES[name]}
          </button>
        ))}
        <button type="button" className={`diagnostics-link${view === 'diagnostics' ? ' active' : ''}`} onClick={() => go('diagnostics')}>
          Diagnostics
        </button>
        <div className="library-path" title={info.data?.path}>
          {info.data ? info.data.path.split(/[\\/]/).pop() : ''}
        </div>
      </nav>
      <main className="content">
        <header className="view-title">
          <h1>{TITLES[view]}</h1>
        </header>
        <LibraryStoppedBanner />
        {dropNote && view === 'import' ? (
          <div className="info-note" role="status">
            {dropNote}
          </div>
        ) : null}
        <CurrentView view={view} />
      </main>
    </div>
  );
}

export function App({ transport, client }: { transport: Transport; client?: QueryClient }) {
  return (
    <ApiProvider transport={transport} client={client}>
      <Shell />
    </ApiProvider>
  );
}
