// Contract of the online sources: HQ gap filling from iNaturalist/GBIF/Commons and Darwin Core import.
import * as z from 'zod';
import { method, returns } from './define';

export const SOURCE_NAMES = ['inat', 'gbif', 'commons'] as const;

export const sourcesApi = {
  'sources.missingHq': method(
    () => z.object({ perTaxon: z.number().int().min(1).default(3) }),
    returns<{ taxon: string; hq: number; images: number }[]>(),
  ),
  'sources.fetchHq': method(
    () =>
      z.object({
        taxa: z.array(z.string().min(1)).optional(),
        missingHq: z.boolean().default(false),
        sources: z.array(z.enum(SOURCE_NAMES)).min(1).default(['inat', 'gbif', 'commons']),
        limit: z.number().int().positive().optional(),
        perTaxon: z.number().int().min(1).default(3),
        licenses: z.array(z.string().min(1)).optional(),
        dryRun: z.boolean().default(false),
        resume: z.boolean().default(true),
      }),
    returns<{ jobId: number }>(),
  ),
  'sources.importDwca': method(
    () => z.object({ path: z.string().min(1), mediaRoot: z.string().min(1).optional(), download: z.boolean().default(false) }),
    returns<{ jobId: number }>(),
  ),
} as const;

/** One remote photo fetch-hq would take (dry run) or took. */
export interface FetchCandidateSummary {
  taxon: string;
  source: (typeof SOURCE_NAMES)[number] | 'dwca';
  url: string;
  width: number | null;
  height: number | null;
  license: string;
  attribution: string | null;
  pageUrl: string | null;
}

/** Outcome counts shared by fetch-hq and import-dwca downloads. */
export interface FetchCountsSummary {
  downloaded: number;
  ingested: number;
  /** Same SHA-256 as a catalogued image (or a URL already taken). */
  duplicates: number;
  /** Within DUPLICATE_THRESHOLD bits of a catalogued image's perceptual hash. */
  nearDuplicates: number;
  rejected: number;
  /** Network failures after retries (tried again by the next run). */
  failed: number;
  imageIds: number[];
}

/** `job.result` of a completed sources.fetchHq job. */
export interface FetchHqJobResult extends FetchCountsSummary {
  taxa: number;
  planned: number;
  /** Usable candidates each source offered. */
  found: Record<string, number>;
  /** Last error of each source that failed (its other taxa may still have succeeded). */
  sourceErrors: Record<string, string>;
  dryRun: boolean;
  /** Dry run only: what would be fetched. */
  candidates: FetchCandidateSummary[];
}

/** `job.result` of a completed sources.importDwca job. */
export interface ImportDwcaJobResult extends FetchCountsSummary {
  occurrences: number;
  mediaRecords: number;
  /** Media found locally (archive folder, zip member or --media-root). */
  local: number;
  localAdded: number;
  missing: number;
  /** Remote media not fetched because download was false. */
  remoteSkipped: number;
  /** Rows naming media that cannot be used (a malformed URL ...), skipped; the first 100 listed with file and row. */
  skippedRows: number;
  skipped: { file: string; row: number; reason: string }[];
}
