// SQL of the sources domain: the source_fetch plan/memory, URL dedupe, and the taxa lacking HQ images.
import { FAILED_DOWNLOAD_BACKOFF_HOURS, FAILED_DOWNLOAD_BACKOFF_MAX_HOURS } from '../../../src-shared/defaults';
import * as z from 'zod';
import { SOURCE_NAMES } from '../../../src-shared/api/sources';
import { TAXON_RANKS } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { parseCount, parseOptionalId, parseOptionalText, parseRow, parseRows } from '../catalog/parse-rows';
import { observationGroupOf, type Candidate, type FetchSource } from './candidate';

const FETCH_STATUSES = ['planned', 'downloaded', 'ingested', 'duplicate', 'near_duplicate', 'rejected', 'failed'] as const;
export type FetchStatus = (typeof FETCH_STATUSES)[number];

const fetchRowSchema = z.object({
  url: z.string(),
  source: z.enum([...SOURCE_NAMES, 'dwca'] satisfies FetchSource[]),
  taxon: z.string().nullable(),
  rank: z.enum(TAXON_RANKS).nullable(),
  license: z.string(),
  attribution: z.string().nullable(),
  page_url: z.string().nullable(),
  observation_group: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  status: z.enum(FETCH_STATUSES),
  file_path: z.string().nullable(),
  sha256: z.string().nullable(),
  image_id: z.number().int().nullable(),
  detail: z.string().nullable(),
  job_id: z.number().int().nullable(),
  /** Failed downloads so far, and when the next may be tried (ISO time; null: any time). */
  attempts: z.number().int(),
  retry_after: z.string().nullable(),
});
export type FetchRow = z.output<typeof fetchRowSchema>;

/** Hours to wait after the n-th failed download of a URL (1, 2, 4 ... up to the maximum). */
export function failedDownloadBackoffHours(attempts: number): number {
  return Math.min(FAILED_DOWNLOAD_BACKOFF_HOURS * 2 ** Math.max(0, attempts - 1), FAILED_DOWNLOAD_BACKOFF_MAX_HOURS);
}

export class SourceStore {
  private readonly knownUrl;
  private readonly plan;
  private readonly setStatus;
  private readonly byUrl;
  private readonly byJob;
  private readonly shaKnown;
  private readonly nearDuplicate;
  private readonly imageAt;
  private readonly rejection;
  private readonly urlItems;
  private readonly failed;

  constructor(private readonly db: Db) {
    // Failed fetches may be retried once their back-off has passed; every other outcome is final for that URL.
    this.knownUrl = db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM image WHERE source_url = @url)
             OR EXISTS (SELECT 1 FROM source_fetch WHERE url = @url AND status NOT IN ('failed', 'planned'))
             OR EXISTS (SELECT 1 FROM source_fetch WHERE url = @url AND status = 'failed'
                        AND retry_after > strftime('%Y-%m-%dT%H:%M:%fZ','now'))
             OR EXISTS (SELECT 1 FROM source_fetch WHERE url = @url AND status = 'planned' AND job_id = @jobId)`,
      )
      .pluck();
    this.plan = db.prepare(`
      INSERT INTO source_fetch (url, source, taxon, rank, license, attribution, page_url, observation_group, width, height, status, job_id)
      VALUES (@url, @source, @taxon, @rank, @license, @attribution, @pageUrl, @observationGroup, @width, @height, 'planned', @jobId)
      ON CONFLICT(url) DO UPDATE SET status = 'planned', job_id = excluded.job_id, detail = NULL, file_path = NULL,
        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`);
    this.setStatus = db.prepare(`
      UPDATE source_fetch SET status = @status, detail = @detail, file_path = coalesce(@filePath, file_path), sha256 = coalesce(@sha256, sha256),
        image_id = coalesce(@imageId, image_id), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
      WHERE url = @url`);
    this.failed = db.prepare(`
      UPDATE source_fetch SET status = 'failed', detail = @detail, attempts = attempts + 1,
        retry_after = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+' || @hours || ' hours'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
      WHERE url = @url`);
    const columns = Object.keys(fetchRowSchema.shape).join(', ');
    this.byUrl = db.prepare(`SELECT ${columns} FROM source_fetch WHERE url = ?`);
    this.byJob = db.prepare(`SELECT ${columns} FROM source_fetch WHERE job_id = ? AND status = ? ORDER BY rowid`);
    this.shaKnown = db.prepare(`SELECT id FROM image WHERE sha256 = ?`).pluck();
    this.nearDuplicate = db
      .prepare(`SELECT id FROM image WHERE perceptual_hash IS NOT NULL AND hamming_distance(perceptual_hash, ?) <= ? LIMIT 1`)
      .pluck();
    this.imageAt = db.prepare(`SELECT image_id FROM location WHERE path = ?`).pluck();
    this.urlItems = db.prepare(`SELECT count(*) FROM job_item WHERE job_id = ? AND key LIKE 'url:%'`).pluck();
    this.rejection = db.prepare(`SELECT code || ': ' || message FROM rejected_file WHERE path = ?`).pluck();
  }

  /** Whether this URL is already in the catalogue or was already dealt with (taken, refused, duplicate). */
  isKnownUrl(url: string, jobId: number): boolean {
    return this.knownUrl.get({ url, jobId }) === 1;
  }

  planCandidate(c: Candidate, jobId: number): void {
    this.plan.run({
      url: c.url,
      source: c.source,
      taxon: c.taxon || null,
      rank: c.taxon ? c.rank : null,
      license: c.license,
      attribution: c.attribution,
      pageUrl: c.pageUrl,
      observationGroup: observationGroupOf(c),
      width: c.width,
      height: c.height,
      jobId,
    });
  }

  mark(
    url: string,
    status: FetchStatus,
    extra: { detail?: string | null; filePath?: string; sha256?: string; imageId?: number } = {},
  ): void {
    if (status === 'failed') {
      const attempts = (this.get(url)?.attempts ?? 0) + 1;
      this.failed.run({ url, detail: extra.detail ?? null, hours: failedDownloadBackoffHours(attempts) });
      return;
    }
    this.setStatus.run({
      url,
      status,
      detail: extra.detail ?? null,
      filePath: extra.filePath ?? null,
      sha256: extra.sha256 ?? null,
      imageId: extra.imageId ?? null,
    });
  }

  get(url: string): FetchRow | undefined {
    return parseRow(fetchRowSchema, this.byUrl.get(url), 'source_fetch');
  }

  rowsOfJob(jobId: number, status: FetchStatus): FetchRow[] {
    return parseRows(fetchRowSchema, this.byJob.all(jobId, status), 'source_fetch');
  }

  imageIdBySha(sha256: string): number | undefined {
    return parseOptionalId(this.shaKnown.get(sha256), 'image by content hash');
  }

  nearDuplicateOf(phash: string, threshold: number): number | undefined {
    return parseOptionalId(this.nearDuplicate.get(phash, threshold), 'near-duplicate image');
  }

  /** Remote files a job has planned so far, whatever became of them (for --limit across resumptions). */
  plannedUrlCount(jobId: number): number {
    return parseCount(this.urlItems.get(jobId), 'planned URL count');
  }

  /** Why ingest refused a file ("CORRUPT_IMAGE: ..."), if it did. */
  rejectionOf(filePath: string): string | undefined {
    return parseOptionalText(this.rejection.get(filePath), 'rejected file');
  }

  imageIdAtPath(filePath: string): number | undefined {
    return parseOptionalId(this.imageAt.get(filePath), 'image at path');
  }
}

const taxonHqCount = z.object({ taxon: z.string(), hq: z.number().int(), images: z.number().int() });
export type TaxonHqCount = z.output<typeof taxonHqCount>;

/** Labelled taxa with fewer than `perTaxon` HQ images, worst first. */
export function taxaMissingHq(db: Db, perTaxon: number): TaxonHqCount[] {
  const rows = db
    .prepare(
      `SELECT l.taxon AS taxon, sum(i.is_hq) AS hq, count(*) AS images
       FROM label l JOIN image i ON i.id = l.image_id
       WHERE l.state != 'disputed'
       GROUP BY l.taxon HAVING sum(i.is_hq) < ?
       ORDER BY hq, images, taxon`,
    )
    .all(perTaxon);
  return parseRows(taxonHqCount, rows, 'taxa missing HQ images');
}

/** HQ images a taxon has now (a listed taxon may have none at all). */
export function hqCountOf(db: Db, taxon: string): number {
  const count = db
    .prepare(`SELECT count(*) FROM label l JOIN image i ON i.id = l.image_id WHERE l.taxon = ? AND l.state != 'disputed' AND i.is_hq = 1`)
    .pluck()
    .get(taxon);
  return parseCount(count, 'HQ images of a taxon');
}
