// Import: folders dropped (desktop) or typed as paths (browser) start an ingest job; progress, cancel, resume, rejected files.
import { useState } from 'react';
import { useApi, useApiMutation, useJob, useTransport } from '../../app/api-context';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { formatBytes } from '../../components/format';
import { latestActionError } from '../../components/latest-error';
import { useImportStore } from '../../state/import-store';
import { ImportJob } from './import-job';

export function ImportView() {
  const [text, setText] = useState('');
  const { pickFolders } = useTransport();
  const addPendingPaths = useImportStore((s) => s.addPendingPaths);
  const pendingPaths = useImportStore((s) => s.pendingPaths);
  const setPendingPaths = useImportStore((s) => s.setPendingPaths);
  const jobs = useApi('jobs.list', { kind: 'ingest', limit: 1 });
  const [startedJobId, setStartedJobId] = useState<number | null>(null);
  const jobId = startedJobId ?? jobs.data?.[0]?.id ?? null;
  const job = useJob(jobId);
  const start = useApiMutation('ingest.start');
  const cancel = useApiMutation('jobs.cancel', { invalidate: false });
  const rejected = useApi('rejected.list', { limit: 200 });
  const paths = [
    ...pendingPaths,
    ...text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  ];

  // The last action's error only: a later success (an import started, a resume) clears an earlier banner.
  const shownError = latestActionError([
    { title: 'Import did not start', error: start.error, submittedAt: start.submittedAt },
    { title: 'Cancel failed', error: cancel.error, submittedAt: cancel.submittedAt },
  ]);

  /** Starts an ingest of these paths; the same folders again resume their cancelled or interrupted run. */
  const startPaths = (toImport: string[]) =>
    start.mutate(
      { paths: toImport },
      {
        onSuccess: ({ jobId: id }) => {
          setStartedJobId(id);
          setPendingPaths([]);
          setText('');
        },
      },
    );
  const submit = () => {
    if (paths.length > 0) startPaths(paths);
  };

  return (
    <div className="import-view">
      <section className="panel">
        <h2>Import photographs</h2>
        <p>
          Drop folders anywhere in this window, or type one folder or file path per line. Originals are read, never changed; files already
          in the library are skipped.
        </p>
        {pendingPaths.length > 0 ? (
          <ul className="pending-paths" aria-label="Dropped folders">
            {pendingPaths.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <textarea
          aria-label="Folder paths"
          rows={3}
          placeholder="/home/me/Pictures/fungi"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && submit()}
        />
        <div className="row">
          <button type="button" className="primary" disabled={paths.length === 0 || start.isPending} onClick={submit}>
            Import {paths.length > 0 ? `${paths.length} path${paths.length > 1 ? 's' : ''}` : ''}
          </button>
          {pickFolders ? (
            <button type="button" onClick={() => void pickFolders().then(addPendingPaths)}>
              Choose folders…
            </button>
          ) : null}
          <span className="hint">Ctrl/⌘-Enter imports</span>
        </div>
        {shownError ? <ErrorNote error={shownError.error} title={shownError.title} /> : null}
      </section>
      {job.data ? (
        <ImportJob
          job={job.data}
          onCancel={() => cancel.mutate({ id: job.data!.id })}
          onResume={job.data.paths ? () => startPaths(job.data!.paths!) : undefined}
          resuming={start.isPending}
        />
      ) : null}
      <ErrorNote error={job.error} title="Job status unavailable" />
      <section className="panel">
        <h2>Rejected files {rejected.data ? `(${rejected.data.total})` : ''}</h2>
        <ErrorNote error={rejected.error} />
        {rejected.data && rejected.data.total === 0 ? (
          <EmptyState title="Nothing rejected">
            Files that are not images, are corrupt, too small or too large are listed here with the reason.
          </EmptyState>
        ) : null}
        {rejected.data && rejected.data.items.length > 0 ? (
          <table className="rejected" aria-label="Rejected files">
            <thead>
              <tr>
                <th>File</th>
                <th>Reason</th>
                <th>Size</th>
              </tr>
            </thead>
            <tbody>
              {rejected.data.items.map((file) => (
                <tr key={file.path}>
                  <td className="path">{file.path}</td>
                  <td>
                    <code>{file.code}</code> {file.message}
                  </td>
                  <td>{formatBytes(file.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
