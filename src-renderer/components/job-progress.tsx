// A job's progress: bar, counts, rate, ETA, a cancel button while it runs, and its outcome when it ends.
import type { Job } from '../../src-shared/model';
import { formatDuration } from './format';
import { jobResultWords } from './job-result-words';

export function JobProgress({ job, onCancel }: { job: Job; onCancel?: () => void }) {
  // A completed job is whole even when some items were skipped or rejected rather than counted as done.
  const fraction = job.status === 'completed' ? 1 : job.total > 0 ? Math.min(1, job.done / job.total) : 0;
  return (
    <section className={`job-progress job-${job.status}`} aria-label={`${job.kind} job ${job.id}`}>
      <div className="job-line">
        <strong>
          {job.kind} #{job.id}
        </strong>
        <span className="job-status" data-testid="job-status">
          {job.status}
        </span>
        <span>
          {job.done} / {job.total || '?'}
        </span>
        <span>{job.rate > 0 ? `${job.rate.toFixed(1)}/s` : ''}</span>
        <span>{job.status === 'running' ? `ETA ${formatDuration(job.etaSeconds)}` : ''}</span>
        {job.status === 'running' && onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
        <div className="bar-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      {job.error ? <div className="error-note">{job.error}</div> : null}
      {job.result && job.status !== 'running' ? (
        <ul className="job-result" data-testid="job-result">
          {jobResultWords(job).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
