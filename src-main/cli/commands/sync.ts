// `sporeprint sync`: pushes the catalogue to the lab's PostgreSQL and pulls back its label states.
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';

export const syncCommand: LibraryCommand = {
  name: 'sync',
  summary: "push images, labels and embeddings to the lab's PostgreSQL (password from PGPASSWORD or ~/.pgpass)",
  usage: 'sync [--pg URL] [--init-schema] [--dry-run] [--status] [--json]',
  options: {
    pg: {
      type: 'string',
      value: 'URL',
      description: 'postgres://user@host/db, without a password',
      default: '$SPOREPRINT_PG_URL, else the last one used',
    },
    'init-schema': { type: 'boolean', description: 'create the media schema where it is missing' },
    'dry-run': { type: 'boolean', description: 'say what would be pushed and write nothing' },
    status: { type: 'boolean', description: 'show the target, last sync and pending changes, and push nothing' },
    json: { type: 'boolean', description: 'print progress and the summary as JSON lines' },
  },
  async run(lib, { values }, io) {
    const json = values.json === true;
    if (values.status) {
      const status = await lib.invoke('sync.status', {});
      if (json) io.out(JSON.stringify(status));
      else {
        io.out(`target     ${status.url ?? 'none (pass --pg URL or set SPOREPRINT_PG_URL)'}`);
        io.out(`last sync  ${status.lastSyncAt ?? 'never'}`);
        io.out(`pending    ${status.pending} images changed since`);
        io.out(`disputes   ${status.disputes}`);
      }
      return 0;
    }
    const url = typeof values.pg === 'string' ? values.pg : undefined;
    const job = await followJob(
      lib,
      () =>
        lib.invoke('sync.start', {
          ...(url ? { url } : {}),
          initSchema: values['init-schema'] === true,
          dryRun: values['dry-run'] === true,
        }),
      'sync',
      json,
      io,
    );
    const r = (job.result ?? {}) as Record<string, unknown>;
    if (json) io.out(jobDoneEvent(job));
    else if (job.status !== 'completed') io.err(`sync ${job.status}${job.error ? `: ${job.error}` : ''} (run again to resume)`);
    else if (r.dryRun) {
      io.out(`dry run: nothing was written to ${String(r.url)}`);
      io.out(`${String(r.pending)} images would be pushed${r.wouldCreateSchema ? '; the media schema would be created' : ''}`);
    } else {
      io.out(`pushed ${String(r.pushed)} images in ${String(r.batches)} batches to ${String(r.url)} (${String(r.newEvents)} label events)`);
      io.out(
        `labels: ${String(r.labelsTaken)} updated on the server, ${String(r.keptServer)} kept the server's, ${String(r.disputes)} new disputes`,
      );
      io.out(
        `pulled ${String(r.pulled)} label changes from the server${Number(r.retries) > 0 ? `; reconnected ${String(r.retries)} times` : ''}`,
      );
    }
    return job.status === 'completed' ? 0 : 1;
  },
};
