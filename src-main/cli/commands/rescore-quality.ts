// `sporeprint rescore-quality`: re-scores images an older version of the quality formulas scored.
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';

export const rescoreQualityCommand: LibraryCommand = {
  name: 'rescore-quality',
  summary: 'recompute the quality of images scored by older formulas (every ingest also does this)',
  usage: 'rescore-quality [--json]',
  options: { json: { type: 'boolean', description: 'print progress and the result as JSON lines' } },
  async run(lib, { values }, io) {
    const json = values.json === true;
    const job = await followJob(lib, () => lib.invoke('quality.rescore', {}), 'quality-rescore', json, io);
    const r = (job.result ?? {}) as Record<string, unknown>;
    if (json) io.out(jobDoneEvent(job));
    else if (job.status === 'completed') {
      io.out(
        `re-scored ${r.fromOriginal} images from their original, ${r.fromDerivative} from the large derivative (original gone or changed)`,
      );
      if (Number(r.skipped) > 0) io.out(`${r.skipped} images left at their old score: neither the original nor a derivative could be read`);
    } else io.err(`rescore-quality ${job.status}${job.error ? `: ${job.error}` : ''}`);
    return job.status === 'completed' ? 0 : 1;
  },
};
