// Renders job progress: a bar with done/total, rate and ETA on a terminal, JSON lines with --json.
import type { Job } from '../../src-shared/model';
import type { CommandIo } from './command';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export function renderProgressLine(job: Job, label: string, width = 30): string {
  const fraction = job.total > 0 ? Math.min(1, job.done / job.total) : 0;
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  return `${label} [${bar}] ${job.done}/${job.total} ${job.rate.toFixed(1)}/s ETA ${formatDuration(job.etaSeconds)}`;
}

/** Returns a listener for job.progress events that prints for one job id. */
export function progressPrinter(io: CommandIo, jobId: () => number | undefined, label: string, json: boolean) {
  let lastLength = 0;
  return {
    onProgress(job: Job) {
      if (job.id !== jobId()) return;
      if (json) {
        io.out(
          JSON.stringify({
            event: 'progress',
            job: job.id,
            status: job.status,
            done: job.done,
            total: job.total,
            rate: Number(job.rate.toFixed(2)),
            etaSeconds: job.etaSeconds === null ? null : Math.round(job.etaSeconds),
          }),
        );
        return;
      }
      if (!io.interactive) return;
      const line = renderProgressLine(job, label);
      process.stderr.write(`\r${line}${' '.repeat(Math.max(0, lastLength - line.length))}`);
      lastLength = line.length;
    },
    finish() {
      if (!json && io.interactive && lastLength) process.stderr.write('\n');
    },
  };
}
