// "Find HQ images": one hook that starts a sources.fetchHq job and follows it, and the panel showing its outcome.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { FetchHqJobResult } from '../../src-shared/api/sources';
import type { Job } from '../../src-shared/model';
import { useApiMutation, useJob } from '../app/api-context';
import { ErrorNote } from './error-note';
import { JobProgress } from './job-progress';

/** What to fill: named taxa, or every taxon short of HQ images. */
export type FindHqRequest = { taxa: string[] } | { missingHq: true };

/** What the list, stats and detail views show that a finished fetch-hq job changes. */
const REFRESHED_METHODS = new Set<string>(['sources.missingHq', 'stats.get', 'images.get', 'images.list']);

export function useFindHqImages() {
  const client = useQueryClient();
  const start = useApiMutation('sources.fetchHq', { invalidate: false });
  const cancel = useApiMutation('jobs.cancel', { invalidate: false });
  const job = useJob(start.data?.jobId ?? null);
  const status = job.data?.status;
  // Between the click and the job's first state the buttons stay disabled too.
  const running = start.isPending || (start.isSuccess && (status === undefined || status === 'running'));
  useEffect(() => {
    if (status && status !== 'running') void client.invalidateQueries({ predicate: (q) => REFRESHED_METHODS.has(String(q.queryKey[0])) });
  }, [client, status]);
  return {
    running,
    find: (request: FindHqRequest) => start.mutate(request),
    startError: start.error,
    job: job.data ?? null,
    jobError: job.error,
    cancel: () => {
      if (job.data) cancel.mutate({ id: job.data.id });
    },
  };
}

/** Sources that failed, in words: a job with no reachable source still completes, so job.error alone would hide it. */
function sourceErrorsOf(job: Job): [string, string][] {
  const errors = (job.result as Partial<FetchHqJobResult> | null)?.sourceErrors;
  return errors ? Object.entries(errors) : [];
}

export function FindHqOutcome({ state }: { state: ReturnType<typeof useFindHqImages> }) {
  const { job } = state;
  const sourceErrors = job ? sourceErrorsOf(job) : [];
  return (
    <div className="find-hq-outcome">
      <ErrorNote error={state.startError} title="Finding HQ images did not start" />
      <ErrorNote error={state.jobError} title="Job state unavailable" />
      {job ? <JobProgress job={job} onCancel={state.cancel} /> : null}
      {job && job.status !== 'running' && sourceErrors.length > 0 ? (
        <div className="error-note" role="alert" aria-label="Source errors">
          <strong>{sourceErrors.length === 1 ? 'A source failed' : `${sourceErrors.length} sources failed`}: </strong>
          <ul>
            {sourceErrors.map(([source, message]) => (
              <li key={source}>
                {source}: {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
