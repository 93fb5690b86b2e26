// The embedding models behind search: which are installed and active, importing a local folder, embedding the library.
import { useState, type Ref } from 'react';
import { useApi, useApiMutation, useJob } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { JobProgress } from '../../components/job-progress';
import { latestActionError } from '../../components/latest-error';

/** Open or closed as the search view says, so its "Open the Models panel" link can open it. */
export function ModelsPanel({
  open,
  onOpenChange,
  ref,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  ref?: Ref<HTMLDetailsElement>;
}) {
  const models = useApi('models.list', {});
  const importModel = useApiMutation('models.import');
  const useModel = useApiMutation('models.use');
  const embed = useApiMutation('embed.start');
  const cancel = useApiMutation('jobs.cancel', { invalidate: false });
  const job = useJob(embed.data?.jobId ?? null);
  const [folder, setFolder] = useState('');
  const active = models.data?.find((m) => m.active);
  // The last action's error only: switching model after a failed import clears the import's banner.
  const shownError = latestActionError([
    { title: 'Import failed', error: importModel.error, submittedAt: importModel.submittedAt },
    { title: 'Could not switch model', error: useModel.error, submittedAt: useModel.submittedAt },
    { title: 'Embedding did not start', error: embed.error, submittedAt: embed.submittedAt },
  ]);
  return (
    <details
      ref={ref}
      id="models-panel"
      className="panel models-panel"
      aria-label="Models panel"
      open={open}
      onToggle={(e) => onOpenChange(e.currentTarget.open)}
    >
      <summary>
        Model: <b>{active ? active.id : 'none active'}</b>
        {active ? ` · ${active.vectorCount} images embedded` : ' · text search needs a CLIP model'}
      </summary>
      <ErrorNote error={models.error} title="Models unavailable" />
      <table className="meta" aria-label="Models">
        <tbody>
          {models.data?.map((m) => (
            <tr key={m.id}>
              <th>{m.id}</th>
              <td>
                {m.kind}, {m.vectorSize}-d, {m.vectorCount} vectors{m.installed ? '' : ' (not installed)'}
              </td>
              <td>
                {m.active ? (
                  <b>active</b>
                ) : (
                  <button type="button" disabled={!m.installed} onClick={() => useModel.mutate({ id: m.id })}>
                    Use
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (folder.trim()) importModel.mutate({ folder: folder.trim() });
        }}
      >
        <input
          aria-label="Model folder"
          placeholder="/path/to/clip-model (transformers.js layout)"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
        <button type="submit" disabled={!folder.trim()}>
          Import model
        </button>
        <button type="button" onClick={() => embed.mutate({})}>
          Embed library
        </button>
      </form>
      {shownError ? <ErrorNote error={shownError.error} title={shownError.title} /> : null}
      {job.data ? <JobProgress job={job.data} onCancel={() => cancel.mutate({ id: job.data!.id })} /> : null}
    </details>
  );
}
