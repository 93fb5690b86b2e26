// The threshold slider: moving it previews (a pure read, debounced, with a sign of work); "Apply threshold" is the
// separate job that re-clusters the library and keeps the new threshold.
import { useEffect } from 'react';
import { useApiMutation, useJob } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { JobProgress } from '../../components/job-progress';

export function ThresholdBar({
  shown,
  inForce,
  previewing,
  working,
  onChange,
  onApplied,
}: {
  /** The slider's value (what the user is choosing). */
  shown: number;
  /** The threshold the stored clusters were built at, when known. */
  inForce: number | null;
  previewing: boolean;
  /** A preview is being computed. */
  working: boolean;
  onChange: (threshold: number) => void;
  onApplied: () => void;
}) {
  const apply = useApiMutation('duplicates.applyThreshold');
  const job = useJob(apply.data?.jobId ?? null);
  const status = job.data?.status;
  useEffect(() => {
    if (status === 'completed') onApplied();
  }, [status, onApplied]);
  return (
    <div className="threshold-bar">
      <label>
        Threshold <b data-testid="threshold-value">{shown}</b>
        <input
          type="range"
          aria-label="Duplicate threshold"
          min={0}
          max={32}
          value={shown}
          onChange={(e) => onChange(Number(e.target.value))}
        />
      </label>
      {working ? (
        <span className="working" role="status" data-testid="preview-working">
          <span className="spinner" aria-hidden="true" /> Clustering at threshold {shown}…
        </span>
      ) : null}
      {previewing && !working ? (
        <span className="preview-note" data-testid="preview-note">
          Preview at {shown}: nothing is saved{inForce !== null ? ` (${inForce} is in force)` : ''}.
          <button
            type="button"
            className="primary"
            disabled={apply.isPending || status === 'running'}
            onClick={() => apply.mutate({ threshold: shown })}
          >
            Apply threshold {shown}
          </button>
        </span>
      ) : null}
      {job.data && status !== 'completed' ? <JobProgress job={job.data} /> : null}
      <ErrorNote error={apply.error} title="Threshold not applied" />
    </div>
  );
}
