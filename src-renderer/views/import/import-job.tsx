// The import under way (or the last one): which folders it reads, its progress, its result in words, and Resume
// after a Cancel or an interruption.
import type { Job } from '../../../src-shared/model';
import { JobProgress } from '../../components/job-progress';

const DOING: Record<Job['status'], string> = {
  running: 'Importing',
  completed: 'Imported',
  cancelled: 'Cancelled while importing',
  interrupted: 'Interrupted while importing',
  failed: 'Failed while importing',
};

export function ImportJob({
  job,
  onCancel,
  onResume,
  resuming,
}: {
  job: Job;
  onCancel: () => void;
  /** Absent when the job does not say which folders it read (then there is nothing to resume with). */
  onResume?: () => void;
  resuming: boolean;
}) {
  const paths = job.paths ?? [];
  const stopped = job.status === 'cancelled' || job.status === 'interrupted';
  return (
    <section className="panel import-job" aria-label="Import job">
      {paths.length > 0 ? (
        <div className="job-paths" data-testid="job-paths">
          {DOING[job.status]}{' '}
          {paths.length === 1 ? (
            <code>{paths[0]}</code>
          ) : (
            <>
              {paths.length} paths:
              <ul>
                {paths.map((p) => (
                  <li key={p}>
                    <code>{p}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
      <JobProgress job={job} onCancel={onCancel} />
      {stopped && onResume ? (
        <div className="row">
          <button type="button" className="primary" onClick={onResume} disabled={resuming}>
            Resume
          </button>
          <span className="hint">
            Continues where it stopped: {job.done} of {job.total || '?'} files are done and are not read again.
          </span>
        </div>
      ) : null}
    </section>
  );
}
