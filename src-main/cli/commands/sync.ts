// `sporeprint sync`: pushes the catalogue to the lab's PostgreSQL and pulls back its label states.
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';
import { UsageError } from '../usage-error';
import { checkResolveArgs, runResolve } from './sync-resolve';

export const syncCommand: LibraryCommand = {
  name: 'sync',
  summary: "push images, labels and embeddings to the lab's PostgreSQL (password from PGPASSWORD or ~/.pgpass)",
  usage:
    'sync [--pg URL] [--init-schema [--create-role NAME]] [--dry-run] [--status] [--json]\n' +
    '       sync resolve IMAGE --field FIELD (--take CLAIMANT | --value V) [--pg URL] [--json]',
  options: {
    pg: {
      type: 'string',
      value: 'URL',
      description: 'postgres://user@host/db, without a password',
      default: '$SPOREPRINT_PG_URL, else the last one used',
    },
    'init-schema': { type: 'boolean', description: 'create the media schema where it is missing' },
    'create-role': {
      type: 'string',
      value: 'NAME',
      description: 'with --init-schema: create a least-privilege curator role NAME with exactly the grants a push needs',
      default: 'no role is created',
    },
    'dry-run': { type: 'boolean', description: 'say what would be pushed and write nothing' },
    status: { type: 'boolean', description: 'show the target, last sync and pending changes, and push nothing' },
    json: { type: 'boolean', description: 'print progress and the summary as JSON lines' },
    field: {
      type: 'string',
      value: 'FIELD',
      description: 'resolve: the conflicting field (license, attribution, source_url, duplicate_of)',
      default: 'none; resolve needs it',
    },
    take: {
      type: 'string',
      value: 'CLAIMANT',
      description: "resolve: show this claimant's value (client id as --status prints it, or curator name)",
      default: 'none; resolve needs --take or --value',
    },
    value: {
      type: 'string',
      value: 'V',
      description: 'resolve: show this value instead of any claim',
      default: 'none; resolve needs --take or --value',
    },
  },
  check(args) {
    if (args.positionals[0] === 'resolve') checkResolveArgs({ values: args.values, positionals: args.positionals.slice(1) });
    else if (args.positionals.length > 0) throw new UsageError(`sync: unknown subcommand "${args.positionals[0]}" (resolve is the one)`);
  },
  async run(lib, { values, positionals }, io) {
    const json = values.json === true;
    if (positionals[0] === 'resolve') return runResolve(lib, { values, positionals: positionals.slice(1) }, io);
    if (values.status) {
      const status = await lib.invoke('sync.status', {});
      if (json) io.out(JSON.stringify(status));
      else {
        io.out(`target     ${status.url ?? 'none (pass --pg URL or set SPOREPRINT_PG_URL)'}`);
        io.out(`last sync  ${status.lastSyncAt ?? 'never'}`);
        io.out(`pending    ${status.pending} images changed since`);
        io.out(`disputes   ${status.disputes}`);
        io.out(
          `conflicts  ${status.conflicts.length}${status.conflicts.length > 0 ? ' (curators claim different values; the server shows the first)' : ''}`,
        );
        for (const c of status.conflicts) {
          const claims = c.claims.map((k) => `${k.value} (${k.author ?? 'unknown curator'}, client ${k.client.slice(0, 8)})`).join(' vs ');
          io.out(`  image ${c.imageId} ${c.field}: shown ${c.shown ?? 'nothing'}; claims ${claims}`);
        }
        if (status.resolutions.length > 0) io.out('resolved (newest first)');
        for (const r of status.resolutions) {
          io.out(
            `  image ${r.imageId} ${r.field}: ${r.value ?? 'nothing'} (chosen by ${r.author ?? 'unknown curator'}, client ${r.client.slice(0, 8)}, ${r.resolvedAt})`,
          );
        }
        if (status.decisions.length > 0) io.out('decisions (newest first)');
        for (const d of status.decisions) {
          const who = `${d.author ?? 'unknown curator'}, ${d.client === 'this library' || d.client === 'server' ? d.client : `client ${d.client.slice(0, 8)}`}`;
          io.out(`  ${d.at}  image ${d.imageId}  ${d.action} ${d.taxon ?? '-'} (${d.state ?? 'no label'}) by ${who}`);
        }
      }
      return 0;
    }
    const url = typeof values.pg === 'string' ? values.pg : undefined;
    const createRole = typeof values['create-role'] === 'string' ? values['create-role'] : undefined;
    const job = await followJob(
      lib,
      () =>
        lib.invoke('sync.start', {
          ...(url ? { url } : {}),
          initSchema: values['init-schema'] === true,
          dryRun: values['dry-run'] === true,
          ...(createRole ? { createRole } : {}),
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
    } else if (r.createdRole) {
      io.out(
        `schema ready on ${String(r.url)}; role ${String(r.createdRole)} can push (set its password: ALTER ROLE ${String(r.createdRole)} PASSWORD '...')`,
      );
    } else {
      io.out(`pushed ${String(r.pushed)} images in ${String(r.batches)} batches to ${String(r.url)} (${String(r.newEvents)} label events)`);
      io.out(
        `labels: ${String(r.labelsTaken)} updated on the server, ${String(r.keptServer)} kept the server's, ${String(r.disputes)} new disputes`,
      );
      io.out(
        `pulled ${String(r.pulled)} label changes from the server${Number(r.retries) > 0 ? `; reconnected ${String(r.retries)} times` : ''}`,
      );
      if (Number(r.conflicts) > 0) io.out(`${String(r.conflicts)} images have conflicting claims: see sync --status`);
    }
    const refused = Array.isArray(r.refusedLabels) ? (r.refusedLabels as string[]) : [];
    if (!json && refused.length > 0) {
      io.out(`${refused.length} server labels were not taken (fix them on the server; the local labels were kept):`);
      for (const reason of refused) io.out(`  ${reason}`);
    }
    if (!json && (Number(r.legacyVectorsMoved) > 0 || Number(r.legacyVectorsKept) > 0))
      io.out(
        `moved ${String(r.legacyVectorsMoved)} vectors from media.image.embedding into media.image_embedding` +
          (Number(r.legacyVectorsKept) > 0 ? `; ${String(r.legacyVectorsKept)} of another size than their model's stay there` : ''),
      );
    const unvalidated = Array.isArray(r.unvalidated) ? (r.unvalidated as string[]) : [];
    if (!json && unvalidated.length > 0)
      io.out(`left NOT VALID (older rows break them; VALIDATE CONSTRAINT after fixing): ${unvalidated.join(', ')}`);
    return job.status === 'completed' ? 0 : 1;
  },
};
