// API handlers of the sources domain: taxa lacking HQ images, HQ gap filling, Darwin Core Archive import.
import path from 'node:path';
import { SporeprintError } from '../errors';
import type { Handlers } from '../handler-types';
import { runFetchHq, type FetchHqParams } from './fetch-hq-job';
import { runImportDwca } from './import-dwca-job';
import { taxaMissingHq } from './source-store';

/** Resumption key: the request as given (not the resolved taxa, which change as HQ images arrive). */
const fetchKey = (p: unknown) => {
  const q = p as FetchHqParams;
  return JSON.stringify([
    [...(q.taxa ?? [])].sort(),
    q.missingHq,
    [...q.sources].sort(),
    q.limit ?? null,
    q.perTaxon,
    [...q.licenses].sort(),
  ]);
};
const importKey = (p: unknown) => {
  const q = p as { path: string; mediaRoot?: string; download: boolean };
  return JSON.stringify([q.path, q.mediaRoot ?? null, q.download]);
};

export const sourcesHandlers: Handlers<'sources.missingHq' | 'sources.fetchHq' | 'sources.importDwca'> = {
  'sources.missingHq': (ctx, input) => taxaMissingHq(ctx.db, input.perTaxon),
  'sources.fetchHq': (ctx, input) => {
    if (!input.taxa?.length && !input.missingHq)
      throw new SporeprintError('INVALID_INPUT', 'name the taxa to fill or ask for the taxa missing HQ images');
    const params: FetchHqParams = { ...input, licenses: input.licenses ?? [...ctx.config.LICENSE_ALLOW_LIST] };
    const { resume, ...key } = params;
    // A dry run writes nothing, so there is never anything to resume.
    const resumeId = resume && !params.dryRun ? ctx.jobs.store.findInterrupted('fetch-hq', fetchKey, fetchKey(key)) : undefined;
    const jobId = ctx.jobs.start('fetch-hq', key, (job) => runFetchHq(ctx, job, params), resumeId);
    return { jobId };
  },
  'sources.importDwca': (ctx, input) => {
    const params = { ...input, path: path.resolve(input.path), ...(input.mediaRoot ? { mediaRoot: path.resolve(input.mediaRoot) } : {}) };
    const resumeId = ctx.jobs.store.findInterrupted('import-dwca', importKey, importKey(params));
    const jobId = ctx.jobs.start('import-dwca', params, (job) => runImportDwca(ctx, job, params), resumeId);
    return { jobId };
  },
};
