// `sporeprint ingest <path...>`: adds photos to the library (resumable, idempotent).
import type { IngestPlan } from '../../../src-shared/api/catalog';
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';
import { integerOption, UsageError } from '../usage-error';

export const ingestCommand: LibraryCommand = {
  name: 'ingest',
  summary: 'add photos from folders or files to the library',
  usage:
    'ingest <path...> [--limit N] [--dry-run] [--no-resume] [--retry-rejected] [--workers N] [--license ID [--attribution TEXT] | --mine] [--json]',
  options: {
    license: {
      type: 'string',
      value: 'ID',
      description:
        'licence for photos that carry none (any spelling: CC-BY-4.0, "CC BY 4.0", a licence URL); never replaces one a sidecar or source gave',
      default: 'none',
    },
    attribution: { type: 'string', value: 'TEXT', description: 'with --license: the credit for those photos', default: 'none' },
    mine: { type: 'boolean', description: 'use the "my photos" default licence and name (sporeprint license default)' },
    'retry-rejected': { type: 'boolean', description: 'try again every file rejected before, even unchanged ones' },
    limit: { type: 'string', value: 'N', description: 'process at most N files (in path order)', default: 'all' },
    'dry-run': { type: 'boolean', description: 'report what would happen and write nothing (no library is created)' },
    'no-resume': { type: 'boolean', description: 'ignore the checkpoint of an interrupted run' },
    workers: { type: 'string', value: 'N', description: 'decode worker threads', default: 'one per core' },
    json: { type: 'boolean', description: 'one JSON event per line instead of a progress bar' },
  },
  // A dry run only reads: it plans against the catalogue (an empty one when there is no library yet) and creates nothing.
  access: ({ values }) => (values['dry-run'] === true ? 'read' : 'write'),
  check: ({ values, positionals }) => {
    if (positionals.length === 0) throw new UsageError('ingest needs at least one folder or file');
    integerOption(values, 'limit', 1);
    integerOption(values, 'workers', 1, 64);
  },
  async run(lib, { values, positionals }, io) {
    const limit = integerOption(values, 'limit', 1);
    const workers = integerOption(values, 'workers', 1, 64);
    const json = values.json === true;
    const retryRejected = values['retry-rejected'] === true;
    if (values['dry-run']) {
      const plan = await lib.invoke('ingest.plan', { paths: positionals, retryRejected, ...(limit !== undefined ? { limit } : {}) });
      io.out(json ? JSON.stringify({ event: 'plan', ...plan }) : describePlan(plan));
      return 0;
    }
    const job = await followJob(
      lib,
      () =>
        lib.invoke('ingest.start', {
          paths: positionals,
          resume: values['no-resume'] !== true,
          retryRejected,
          ...(limit !== undefined ? { limit } : {}),
          ...(workers !== undefined ? { workers } : {}),
          ...(typeof values.license === 'string' ? { license: values.license } : {}),
          ...(typeof values.attribution === 'string' ? { attribution: values.attribution } : {}),
          mine: values.mine === true,
        }),
      'ingest',
      json,
      io,
    );
    const r = (job.result ?? {}) as Record<string, number | Record<string, number> | { path: string; reason: string }[]>;
    if (json) io.out(jobDoneEvent(job));
    else if (job.status === 'completed') {
      io.out(
        `scanned ${r.scanned}: added ${r.added}, copies ${r.copies}, unchanged ${r.unchanged}, rejected ${r.rejected}, to retry ${r.failed}, skipped ${r.skipped}`,
      );
      if (r.failed)
        io.out(
          `to retry (not rejected: the next ingest tries them again): ${Object.entries((r.failedByReason ?? {}) as Record<string, number>)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}`,
        );
      for (const skip of (r.skippedPaths ?? []) as { path: string; reason: string }[]) io.out(`skipped ${skip.path}: ${skip.reason}`);
      if (r.derivativesRebuilt) io.out(`rebuilt the missing derivative files of ${r.derivativesRebuilt} image(s) from their originals`);
      if (r.derivativesUnrecoverable)
        io.out(`${r.derivativesUnrecoverable} image(s) miss derivative files and their original is gone (see \`sporeprint stats\`)`);
      if (r.claimsUpdated)
        io.out(
          `${r.claimsUpdated} unchanged image(s) took a licence, photographer or taxon from a new or edited sidecar or their folder name`,
        );
      if (r.licensed) io.out(`${r.licensed} image(s) without a licence took --license (undo: \`sporeprint license undo <folder>\`)`);
      const reasons = Object.entries((r.rejectedByReason ?? {}) as Record<string, number>);
      if (reasons.length) io.out(`rejected by reason: ${reasons.map(([k, n]) => `${k} ${n}`).join(', ')} (see \`sporeprint stats\`)`);
    } else io.err(`ingest ${job.status}${job.error ? `: ${job.error}` : ''} (${job.done}/${job.total} files done; run again to resume)`);
    return job.status === 'completed' ? 0 : 1;
  },
};

function describePlan(plan: IngestPlan): string {
  const reject =
    Object.entries(plan.wouldReject)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  return [
    `dry run: nothing was written`,
    `scanned ${plan.scanned} files (${plan.sidecars} sidecars)`,
    `would process ${plan.toProcess} (${(plan.bytesToProcess / 1048576).toFixed(1)} MB), unchanged ${plan.unchanged} (of which previously rejected ${plan.previouslyRejected})`,
    `would fill in licence, photographer or taxon of ${plan.claimsToUpdate} unchanged image(s) from new or edited sidecars`,
    `would reject: ${reject}`,
    `would skip: ${plan.skipped}`,
    ...plan.skippedPaths.map((s) => `skipped ${s.path}: ${s.reason}`),
  ].join('\n');
}
