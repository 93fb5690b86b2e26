// Starts a job through the API, shows its progress, cancels it on Ctrl-C, and returns its final state.
import type { Job } from '../../src-shared/model';
import type { Library } from '../core/library';
import type { CommandIo } from './command';
import { progressPrinter } from './progress-bar';

export async function followJob(
  lib: Library,
  start: () => Promise<{ jobId: number }>,
  label: string,
  json: boolean,
  io: CommandIo,
): Promise<Job> {
  let jobId: number | undefined;
  const printer = progressPrinter(io, () => jobId, label, json);
  const off = lib.on('job.progress', (job) => printer.onProgress(job));
  const onSigint = () => {
    if (jobId !== undefined) lib.jobs.cancel(jobId);
  };
  process.once('SIGINT', onSigint);
  try {
    jobId = (await start()).jobId;
    const job = await lib.waitForJob(jobId);
    printer.finish();
    return job;
  } finally {
    off();
    process.off('SIGINT', onSigint);
  }
}

/** The closing `--json` line of a job: its status and result (without the long list of new image ids). */
export function jobDoneEvent(job: Job): string {
  const { imageIds: _ids, ...result } = job.result ?? {};
  return JSON.stringify({ event: 'done', job: job.id, status: job.status, error: job.error, ...result });
}
