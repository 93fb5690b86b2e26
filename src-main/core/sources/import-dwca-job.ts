// The import-dwca job: reads an archive's image records, ingests local media in place (zip members are
// extracted to originals/), and with --download fetches remote media through the same robust pipeline.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ApiParsedInput } from '../../../src-shared/api';
import type { ImportDwcaJobResult } from '../../../src-shared/api/sources';
import { runIngest } from '../ingest/ingest-job';
import type { ResolvedClaim } from '../ingest/source-claims';
import { throwIfCancelled, type JobContext } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import { ORIGINALS_DIR } from '../library-paths';
import type { Candidate } from './candidate';
import { openArchive } from './dwca/archive-files';
import { readMediaRecords, type MediaRecord } from './dwca/media-records';
import { downloadPlanned, emptyCounts, ingestDownloaded } from './fetch-planned';
import { sourceClient } from './source-clients';
import { SourceStore } from './source-store';

export type ImportDwcaParams = ApiParsedInput<'sources.importDwca'>;

export type ImportDwcaResult = ImportDwcaJobResult & Record<string, unknown>;

const isRemote = (ref: string) => /^https?:\/\//i.test(ref);

function claimOf(r: MediaRecord, sourceUrl: string | null): ResolvedClaim {
  return {
    label: r.taxon && r.rank ? { taxon: r.taxon, rank: r.rank, evidence: { source: `dwca:${r.pageUrl ?? r.occurrenceId}` } } : null,
    provenance: { license: r.license, attribution: r.attribution, sourceUrl, observationGroup: `dwca:${r.occurrenceId}` },
  };
}

export async function runImportDwca(ctx: LibraryContext, job: JobContext, params: ImportDwcaParams): Promise<ImportDwcaResult> {
  const archive = await openArchive(params.path);
  const { occurrences, records, skipped } = await readMediaRecords(archive);
  const result: ImportDwcaResult = {
    ...emptyCounts(),
    occurrences,
    mediaRecords: records.length,
    skippedRows: skipped.length,
    // The first rows only: an archive with a million bad rows must not make a million-entry job result.
    skipped: skipped.slice(0, 100),
    local: 0,
    localAdded: 0,
    missing: 0,
    remoteSkipped: 0,
  };
  const mediaRoot = params.mediaRoot ? path.resolve(params.mediaRoot) : archive.folder;
  const extractDir = path.join(ctx.dir, ORIGINALS_DIR, 'dwca', createHash('sha256').update(archive.origin).digest('hex').slice(0, 12));
  const localClaims = new Map<string, ResolvedClaim>();
  const remote: MediaRecord[] = [];

  for (const r of records) {
    throwIfCancelled(job.signal);
    if (isRemote(r.reference)) {
      // A local mirror of remote media (--media-root) is used instead of downloading.
      const mirrored = mediaRoot ? mirroredFile(mediaRoot, r.reference) : null;
      if (mirrored) localClaims.set(mirrored, claimOf(r, r.reference));
      else remote.push(r);
      continue;
    }
    const relative = r.reference.replace(/^file:\/\//i, '');
    const inRoot = mediaRoot ? path.resolve(mediaRoot, relative) : null;
    // A third party's archive must not make us read files outside the folder it was given with.
    const contained = inRoot !== null && inRoot.startsWith(mediaRoot + path.sep);
    if (inRoot && contained && existsSync(inRoot)) {
      localClaims.set(inRoot, claimOf(r, r.pageUrl));
      continue;
    }
    const member = archive.isZip ? await archive.read(relative) : null;
    if (member) {
      const target = path.resolve(extractDir, relative);
      // A member name must not climb out of the extraction folder ("zip slip").
      if (!target.startsWith(extractDir + path.sep)) {
        result.missing++;
        continue;
      }
      if (!existsSync(target)) {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(`${target}.part`, member);
        await rename(`${target}.part`, target);
      }
      localClaims.set(target, claimOf(r, r.pageUrl));
    } else result.missing++;
  }
  result.local = localClaims.size;

  if (localClaims.size) {
    const quiet: JobContext = { ...job, progress: (done, total) => job.progress(done, total + remote.length) };
    const ingested = await runIngest(
      quiet,
      { db: ctx.db, libraryDir: ctx.dir, claimFor: (file) => localClaims.get(file) ?? null },
      {
        paths: [...localClaims.keys()],
        workers: Math.min(2, os.availableParallelism()),
        maxFileBytes: ctx.config.IMAGE_MAX_SIZE_MB * 1024 * 1024,
      },
    );
    result.localAdded = ingested.added;
    result.rejected += ingested.rejected;
    result.imageIds.push(...ingested.imageIds);
    await ctx.completeFollowups(job);
    if (ingested.added || ingested.copies) ctx.emit('catalog.changed', { reason: 'import-dwca' });
  }

  if (!params.download) {
    result.remoteSkipped = remote.length;
    return result;
  }
  const store = new SourceStore(ctx.db);
  const fresh = remote.filter((r) => !store.isKnownUrl(r.reference, job.jobId));
  // Known from an earlier run or import: a duplicate. Known from this job (a resumed run): its own work.
  const earlier = remote.filter((r) => !fresh.includes(r) && store.get(r.reference)?.job_id !== job.jobId);
  ctx.db.transaction(() => {
    for (const r of fresh) store.planCandidate(candidateOf(r), job.jobId);
    job.store.addItems(
      job.jobId,
      fresh.map((r) => `url:${r.reference}`),
    );
  })();
  result.duplicates += earlier.length;
  const client = sourceClient(ctx, 'dwca');
  let done = localClaims.size;
  const total = localClaims.size + store.rowsOfJob(job.jobId, 'planned').length;
  const deps = {
    ctx,
    store,
    reason: 'import-dwca',
    clientOf: () => client,
    onFileDone: () => job.progress(++done, total),
  };
  await downloadPlanned(job, deps, result);
  await ingestDownloaded(job, deps, result);
  return result;
}

/**
 * Where a mirror keeps a remote file: by its URL path under the root, with or without the host as the first
 * folder (wget -x writes root/<host>/<path>). Never by file name alone: iNaturalist names every original
 * original.jpg, so a name-only match would give one photo to every record.
 */
export function mirroredFile(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    pathname = parsed.pathname;
  }
  const relative = pathname.replace(/^\/+/, '');
  if (!relative) return null;
  for (const candidate of [path.resolve(root, parsed.hostname, relative), path.resolve(root, relative)]) {
    // A URL path with ../ must not reach files outside the mirror.
    if (candidate.startsWith(root + path.sep) && existsSync(candidate)) return candidate;
  }
  return null;
}

function candidateOf(r: MediaRecord): Candidate {
  return {
    source: 'dwca',
    url: r.reference,
    width: null,
    height: null,
    license: r.license,
    attribution: r.attribution,
    pageUrl: r.pageUrl,
    observationId: r.occurrenceId,
    taxon: r.taxon ?? '',
    rank: r.rank ?? 'species',
  };
}
