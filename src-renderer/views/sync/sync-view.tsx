// Sync: status of the push to the lab's PostgreSQL, and a form to start one with progress.
import { useState } from 'react';
import { useApi, useApiMutation, useJob } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { JobProgress } from '../../components/job-progress';
import type { SporeprintBridge } from '../../../src-shared/transport';
import { keychainBridge, SyncPasswordField } from './sync-password-field';
import { SyncConflicts, SyncDecisions, SyncResolutions } from './sync-history';

/** The preload's bridge in the desktop app; the browser (serve) has none, so no keychain either. */
const hostBridge = () => (globalThis as { sporeprint?: Partial<SporeprintBridge> }).sporeprint;

export function SyncView() {
  const status = useApi('sync.status', {});
  const [url, setUrl] = useState('');
  const [initSchema, setInitSchema] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const start = useApiMutation('sync.start');
  const cancel = useApiMutation('jobs.cancel', { invalidate: false });
  const job = useJob(start.data?.jobId ?? null);
  const s = status.data;
  const keychain = keychainBridge(hostBridge());
  return (
    <div className="form-view">
      <section className="panel">
        <h2>Sync to the lab database</h2>
        <ErrorNote error={status.error} title="Sync status unavailable" />
        {status.isLoading ? <p className="loading">loading…</p> : null}
        {s ? (
          <table className="meta">
            <tbody>
              <tr>
                <th>Database</th>
                <td>{s.url ?? 'not configured'}</td>
              </tr>
              <tr>
                <th>Last sync</th>
                <td>{s.lastSyncAt ?? 'never'}</td>
              </tr>
              <tr>
                <th>Waiting to push</th>
                <td>{s.pending}</td>
              </tr>
              <tr>
                <th>Disputes from the lab</th>
                <td>{s.disputes}</td>
              </tr>
            </tbody>
          </table>
        ) : null}
      </section>
      {s ? <SyncConflicts conflicts={s.conflicts} {...(url.trim() ? { url: url.trim() } : {})} /> : null}
      {s ? <SyncResolutions resolutions={s.resolutions} /> : null}
      {s ? <SyncDecisions decisions={s.decisions} /> : null}
      <form
        className="panel form-grid"
        aria-label="Sync"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({ ...(url.trim() ? { url: url.trim() } : {}), initSchema, dryRun });
        }}
      >
        <label>
          PostgreSQL URL (no password in it: {keychain ? 'save it below, in the system keychain' : 'it comes from PGPASSWORD or ~/.pgpass'})
          <input
            aria-label="PostgreSQL URL"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={s?.url ?? 'postgres://curator@lab-db/fungi'}
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={initSchema} onChange={(e) => setInitSchema(e.target.checked)} /> create the schema if missing
        </label>
        <label className="inline">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> dry run (count only)
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={start.isPending}>
            Start sync
          </button>
        </div>
        <ErrorNote error={start.error} title="Sync did not start" />
      </form>
      <SyncPasswordField bridge={keychain} url={url.trim() || s?.url || ''} />
      {job.data ? <JobProgress job={job.data} onCancel={() => cancel.mutate({ id: job.data!.id })} /> : null}
    </div>
  );
}
