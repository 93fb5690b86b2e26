// The fetch-hq job: for each taxon short of HQ images, ask the sources, plan the best candidates, then
// download, dedupe and ingest them. Every step is checkpointed (job_item + source_fetch) for resumption.
import type { ApiParsedInput } from '../../../src-shared/api';
import { HQ_MIN_LONG_EDGE } from '../../../src-shared/defaults';
import type { FetchHqJobResult } from '../../../src-shared/api/sources';
import { throwIfCancelled, type JobContext } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import type { HttpClient } from '../net/http-client';
import type { Candidate, SourceName } from './candidate';
import { downloadPlanned, emptyCounts, ingestDownloaded } from './fetch-planned';
import { pickCandidates } from './pick-candidates';
import { createResolver, sourceClient } from './source-clients';
import { hqCountOf, SourceStore, taxaMissingHq } from './source-store';

export type FetchHqParams = ApiParsedInput<'sources.fetchHq'> & { licenses: string[] };

export type FetchHqResult = FetchHqJobResult & Record<string, unknown>;

const TAXON_PREFIX = 'taxon:';
const INGEST_BATCH = 24;

export async function runFetchHq(ctx: LibraryContext, job: JobContext, params: FetchHqParams): Promise<FetchHqResult> {
  const store = new SourceStore(ctx.db);
  const clients = new Map<SourceName, HttpClient>(params.sources.map((s) => [s, sourceClient(ctx, s)]));
  const resolvers = params.sources.map((s) => createResolver(ctx.config, s, clients.get(s)!));
  const result: FetchHqResult = {
    ...emptyCounts(),
    taxa: 0,
    planned: 0,
    found: {},
    sourceErrors: {},
    dryRun: params.dryRun,
    candidates: [],
  };

  // The taxon list is fixed when the job starts, so a resumed job finishes the same list.
  const taxonItems = job.store.countItems(job.jobId);
  const fresh = Object.values(taxonItems).every((n) => n === 0);
  if (fresh) {
    const taxa = params.taxa?.length ? params.taxa : params.missingHq ? taxaMissingHq(ctx.db, params.perTaxon).map((t) => t.taxon) : [];
    job.store.addItems(
      job.jobId,
      [...new Set(taxa.map((t) => t.replace(/\s+/g, ' ').trim()))].map((t) => TAXON_PREFIX + t),
    );
  }
  const allTaxa = [...job.store.itemsWithStatus(job.jobId, 'pending'), ...job.store.itemsWithStatus(job.jobId, 'failed')]
    .filter((k) => k.startsWith(TAXON_PREFIX))
    .map((k) => k.slice(TAXON_PREFIX.length));
  const doneTaxa = job.store.itemsWithStatus(job.jobId, 'done').filter((k) => k.startsWith(TAXON_PREFIX)).length;
  result.taxa = allTaxa.length + doneTaxa;

  let planned = store.rowsOfJob(job.jobId, 'planned').length + store.rowsOfJob(job.jobId, 'downloaded').length;
  let alreadyPlanned = store.plannedUrlCount(job.jobId);
  let filesDone = 0;
  let taxaDone = doneTaxa;
  const report = () => job.progress(taxaDone + filesDone, result.taxa + planned);
  report();
  const deps = {
    ctx,
    store,
    reason: 'fetch-hq',
    minLongEdge: HQ_MIN_LONG_EDGE,
    clientOf: (row: { source: string }) => clients.get(row.source as SourceName) ?? sourceClient(ctx, 'dwca'),
    onFileDone: () => {
      filesDone++;
      report();
    },
  };

  // Leftovers of a killed run first: files planned or downloaded but not yet in the catalogue.
  if (!params.dryRun && planned > 0) {
    await downloadPlanned(job, deps, result);
    await ingestDownloaded(job, deps, result);
  }

  for (const taxon of allTaxa) {
    throwIfCancelled(job.signal);
    const remaining = params.limit !== undefined ? params.limit - alreadyPlanned : Infinity;
    const want = Math.min(remaining, params.perTaxon - hqCountOf(ctx.db, taxon));
    let candidates: Candidate[] = [];
    let failures = 0;
    if (want > 0) {
      const answers = await Promise.allSettled(
        resolvers.map((r) => r.resolve({ taxon, want: want * 2, licenses: params.licenses, signal: job.signal })),
      );
      throwIfCancelled(job.signal);
      answers.forEach((answer, i) => {
        const source = resolvers[i]!.source;
        if (answer.status === 'fulfilled') {
          candidates.push(...answer.value);
          result.found[source] = (result.found[source] ?? 0) + answer.value.length;
        } else {
          failures++;
          result.sourceErrors[source] = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
        }
      });
      candidates = pickCandidates(candidates, { want, licenses: params.licenses, isKnown: (url) => store.isKnownUrl(url, job.jobId) });
    }
    const allFailed = want > 0 && failures === resolvers.length;
    if (params.dryRun) {
      result.candidates.push(
        ...candidates.map(({ taxon: t, source, url, width, height, license, attribution, pageUrl }) => ({
          taxon: t,
          source,
          url,
          width,
          height,
          license,
          attribution,
          pageUrl,
        })),
      );
      result.planned += candidates.length;
      alreadyPlanned += candidates.length;
      taxaDone++;
      report();
      continue;
    }
    ctx.db.transaction(() => {
      for (const c of candidates) store.planCandidate(c, job.jobId);
      job.store.addItems(
        job.jobId,
        candidates.map((c) => `url:${c.url}`),
      );
      // When every source failed the taxon stays open for the next run instead of counting as done.
      job.store.setItemStatus(
        job.jobId,
        TAXON_PREFIX + taxon,
        allFailed ? 'failed' : 'done',
        allFailed ? 'every source failed' : `${candidates.length} planned`,
      );
    })();
    planned += candidates.length;
    alreadyPlanned += candidates.length;
    taxaDone++;
    report();
    if (candidates.length) await downloadPlanned(job, deps, result);
    // Ingest in batches: each ingest starts a worker pool, too costly per taxon when taxa have few photos.
    // Downloaded files are checkpointed, so waiting for a batch loses nothing to a kill.
    if (store.rowsOfJob(job.jobId, 'downloaded').length >= INGEST_BATCH) await ingestDownloaded(job, deps, result);
  }
  if (!params.dryRun) {
    await ingestDownloaded(job, deps, result);
    result.planned = store.plannedUrlCount(job.jobId);
  }
  job.progress(taxaDone + filesDone, result.taxa + planned);
  return result;
}
