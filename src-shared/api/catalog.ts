// Contract of the foundation: library info, ingest, jobs, stats, image listing and detail.
import * as z from 'zod';
import { IMAGE_FORMATS, LABEL_STATES } from '../model';
import type { ImageDetail, ImagePageCursor, ImageSummary, Job, LibraryStats, RejectedFile } from '../model';
import { method, returns } from './define';

export interface OriginalForDisplay {
  /** Absolute path of the file to send: a catalogued location, or the converted copy in the library's cache. */
  path: string;
  contentType: string;
  size: number;
  /** Whether `path` is a conversion (the original's format is one a browser cannot show). */
  converted: boolean;
  width: number;
  height: number;
}

const id = z.number().int().positive();
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };

export const imageQuerySchema = z.object({
  ...page,
  ids: z.array(id).max(1000).optional(),
  labelState: z.enum([...LABEL_STATES, 'unlabelled']).optional(),
  taxon: z.string().min(1).optional(),
  minQuality: z.number().min(0).max(100).optional(),
  maxQuality: z.number().min(0).max(100).optional(),
  hq: z.boolean().optional(),
  format: z.enum(IMAGE_FORMATS).optional(),
  license: z.string().min(1).optional(),
  /** false: only images with no licence yet (they stay out of exports until they get one). */
  hasLicense: z.boolean().optional(),
  hasDuplicates: z.boolean().optional(),
  sort: z.enum(['created', 'quality', 'taxon', 'size', 'resolution']).default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** The `next` of the page before: the page after it, found in O(page) however deep (offset is then ignored). */
  after: z.object({ key: z.union([z.number(), z.string()]), id }).optional(),
});
export interface IngestPlan {
  scanned: number;
  /** Paths never seen, or whose size or mtime changed: these would be read and hashed. */
  toProcess: number;
  unchanged: number;
  previouslyRejected: number;
  sidecars: number;
  /** Unchanged images a new or edited sidecar would give a licence, photographer or taxon they lack. */
  claimsToUpdate: number;
  wouldReject: Record<string, number>;
  bytesToProcess: number;
  /** Paths the scan could not use (unreadable folder or file, vanished, broken symlink, non-UTF-8 name). */
  skipped: number;
  /** The first 200 of them, each with its reason. */
  skippedPaths: { path: string; reason: string }[];
}

export type ImageQuery = z.input<typeof imageQuerySchema>;

/** One image's place in a filtered, sorted listing: the listing's filters and sort, without its page. */
export const imageNeighboursSchema = imageQuerySchema.omit({ offset: true, limit: true, after: true, ids: true }).extend({ id });

export interface ImageNeighbours {
  /** The image listed just before this one, or null at the start. */
  previous: number | null;
  next: number | null;
  /** 1-based place of the image in the listing; null when the image does not match its filters (any more). */
  position: number | null;
  /** Images the filters match. */
  total: number;
}

export interface LicenseCounts {
  /** Each licence id present in the catalogue with its number of images, most used first. */
  licenses: { license: string; images: number }[];
  /** Images with no licence. */
  missing: number;
}

export const catalogApi = {
  /** `readOnly` says why this process may not change the library (read-only storage, a reader), else null. */
  'library.info': method(
    () => z.object({}),
    returns<{ path: string; schemaVersion: number; appVersion: string; readOnly: string | null }>(),
  ),
  /**
   * After the library's thread stopped (a crash), opens the library again; a no-op while it runs. Answered by the
   * host that owns the thread (src-main/host), so the app can offer "Reopen" through the ordinary API.
   */
  'library.reopen': method(() => z.object({}), returns<{ path: string; reopened: boolean }>()),
  'ingest.start': method(
    () =>
      z.object({
        paths: z.array(z.string().min(1)).min(1),
        limit: z.number().int().positive().optional(),
        dryRun: z.boolean().default(false),
        resume: z.boolean().default(true),
        workers: z.number().int().min(1).max(64).optional(),
        /** Tries again every file rejected before, even unchanged ones (a rejection is otherwise kept until the file changes). */
        retryRejected: z.boolean().default(false),
        /** For photos that carry no licence (no sidecar or source gave one): any spelling the vocabulary reads. */
        license: z.string().trim().min(1).max(300).optional(),
        /** Credit for those photos (only where they have none). */
        attribution: z.string().trim().min(1).max(500).optional(),
        /** Use the "my photos" default (licence + name) for what license/attribution do not give. */
        mine: z.boolean().default(false),
        author: z.string().trim().min(1).max(200).optional(),
      }),
    returns<{ jobId: number }>(),
  ),
  /** What an ingest would do, without writing anything (the --dry-run). */
  'ingest.plan': method(
    () =>
      z.object({
        paths: z.array(z.string().min(1)).min(1),
        limit: z.number().int().positive().optional(),
        retryRejected: z.boolean().default(false),
      }),
    returns<IngestPlan>(),
  ),
  'jobs.get': method(() => z.object({ id }), returns<Job>()),
  'jobs.list': method(
    () => z.object({ kind: z.string().optional(), limit: z.number().int().min(1).max(200).default(20) }),
    returns<Job[]>(),
  ),
  'jobs.cancel': method(() => z.object({ id }), returns<{ cancelled: boolean }>()),
  'stats.get': method(() => z.object({}), returns<LibraryStats>()),
  'rejected.list': method(() => z.object(page), returns<{ total: number; items: RejectedFile[] }>()),
  'images.list': method(() => imageQuerySchema, returns<{ total: number; items: ImageSummary[]; next: ImagePageCursor | null }>()),
  'images.get': method(() => z.object({ id }), returns<ImageDetail>()),
  /**
   * The file the loupe's 100 % shows for an image: one of its catalogued locations, unchanged since ingest, when the
   * browser can show its format, else a full-size conversion (cached). The media routes serve it by image id only.
   */
  'images.original': method(() => z.object({ id }), returns<OriginalForDisplay>()),
  /** The images before and after one in a listing (the detail view's previous / next), and its place in it. */
  'images.neighbours': method(() => imageNeighboursSchema, returns<ImageNeighbours>()),
  /** The licences present in the catalogue, with counts (the library's licence filter offers these). */
  'images.licenses': method(() => z.object({}), returns<LicenseCounts>()),
  /** Resolves an image id, a path of one of its locations, or a sha256 (prefix >= 8) to an id. */
  'images.resolve': method(() => z.object({ ref: z.string().min(1) }), returns<{ id: number }>()),
  /** Re-scores images an older version of the quality formulas scored (also done by every ingest), as a job. */
  'quality.rescore': method(() => z.object({}), returns<{ jobId: number }>()),
} as const;
