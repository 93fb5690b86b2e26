// SQL of the sources domain: the source_fetch plan/memory, URL dedupe, and the taxa lacking HQ images.
import { FAILED_DOWNLOAD_BACKOFF_HOURS, FAILED_DOWNLOAD_BACKOFF_MAX_HOURS } from '../../../src-shared/defaults';
import type { TaxonRank } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { observationGroupOf, type Candidate, type FetchSource } from './candidate';

export type FetchStatus = 'planned' | 'downloaded' | 'ingested' | 'duplicate' | 'near_duplicate' | 'rejected' | 'failed';

export interface FetchRow {
  url: string;
  source: FetchSource;
  taxon: string | null;
  rank: TaxonRank | null;
  license: string;
  attribution: string | null;
  page_url: string | null;
  observation_group: string | null;
  width: number | null;
  height: number | null;
  status: FetchStatus;
  file_path: string | null;
  sha256: string | null;
  image_id: number | null;
  detail: string | null;
  job_id: number | null;
  /** Failed downloads so far, and when the next may be tried (ISO time; null: any time). */
  attempts: number;
  retry_after: string | null;
}

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
    this.byUrl = db.prepare(`SELECT * FROM source_fetch WHERE url = ?`);
    this.byJob = db.prepare(`SELECT * FROM source_fetch WHERE job_id = ? AND status = ? ORDER BY rowid`);
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
    return this.byUrl.get(url) as FetchRow | undefined;
  }

  rowsOfJob(jobId: number, status: FetchStatus): FetchRow[] {
    return this.byJob.all(jobId, status) as FetchRow[];
  }

  imageIdBySha(sha256: string): number | undefined {
    return this.shaKnown.get(sha256) as number | undefined;
  }

  nearDuplicateOf(phash: string, threshold: number): number | undefined {
    return this.nearDuplicate.get(phash, threshold) as number | undefined;
  }

  /** Remote files a job has planned so far, whatever became of them (for --limit across resumptions). */
  plannedUrlCount(jobId: number): number {
    return this.urlItems.get(jobId) as number;
  }

  /** Why ingest refused a file ("CORRUPT_IMAGE: ..."), if it did. */
  rejectionOf(filePath: string): string | undefined {
    return this.rejection.get(filePath) as string | undefined;
  }

  imageIdAtPath(filePath: string): number | undefined {
    return this.imageAt.get(filePath) as number | undefined;
  }
}

export interface TaxonHqCount {
  taxon: string;
  hq: number;
  images: number;
}

/** Labelled taxa with fewer than `perTaxon` HQ images, worst first. */
export function taxaMissingHq(db: Db, perTaxon: number): TaxonHqCount[] {
  return db
    .prepare(
      `SELECT l.taxon AS taxon, sum(i.is_hq) AS hq, count(*) AS images
       FROM label l JOIN image i ON i.id = l.image_id
       WHERE l.state != 'disputed'
       GROUP BY l.taxon HAVING sum(i.is_hq) < ?
       ORDER BY hq, images, taxon`,
    )
    .all(perTaxon) as TaxonHqCount[];
}

/** HQ images a taxon has now (a listed taxon may have none at all). */
export function hqCountOf(db: Db, taxon: string): number {
  return (db
    .prepare(`SELECT count(*) FROM label l JOIN image i ON i.id = l.image_id WHERE l.taxon = ? AND l.state != 'disputed' AND i.is_hq = 1`)
    .pluck()
    .get(taxon) ?? 0) as number;
}
