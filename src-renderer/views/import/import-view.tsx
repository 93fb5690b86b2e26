// Import: folders dropped (desktop) or typed as paths (browser) start an ingest job; progress, cancel, rejected files.
import { useState } from 'react';
import { useApi, useApiMutation, useJob, useTransport } from '../../app/api-context';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { formatBytes } from '../../components/format';
import { JobProgress } from '../../components/job-progress';
import { useImportStore } from '../../state/import-store';

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

  const submit = () => {
    if (paths.length === 0) return;
    start.mutate(
      { paths },
      {
        onSuccess: ({ jobId: id }) => {
          setStartedJobId(id);
          setPendingPaths([]);
          setText('');
        },
      },
    );
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
        <ErrorNote error={start.error} title="Import did not start" />
      </section>
      {job.data ? <JobProgress job={job.data} onCancel={() => cancel.mutate({ id: job.data!.id })} /> : null}
      <ErrorNote error={job.error} title="Job status unavailable" />
      <ErrorNote error={cancel.error} title="Cancel failed" />
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
