// Contract of dataset export: options, a dry-run plan, and the export job.
import * as z from 'zod';
import { method, returns } from './define';

export const EXPORT_VIEWS = ['training_hq', 'training_general', 'training_verified'] as const;
export const EXPORT_FORMATS = ['imagefolder', 'csv', 'jsonl', 'hf'] as const;
export type ExportView = (typeof EXPORT_VIEWS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** POSIX "/...", Windows "C:\\..." or a UNC share: the API has no working folder a relative path could mean. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

export const exportOptionsSchema = z.object({
  outDir: z.string().min(1, { message: 'choose an output folder' }).refine(isAbsolutePath, {
    message:
      "the output folder must be a full path (e.g. /home/me/datasets/fungi): a relative one would land in the server's working folder",
  }),
  view: z.enum(EXPORT_VIEWS).default('training_verified'),
  formats: z.array(z.enum(EXPORT_FORMATS)).min(1).default(['imagefolder', 'csv']),
  /** Percentages for train/val/test; must add up to 100. */
  split: z
    .tuple([z.number().min(0), z.number().min(0), z.number().min(0)])
    .default([80, 10, 10])
    .refine((s) => Math.abs(s[0] + s[1] + s[2] - 100) < 1e-9, { message: 'the split must add up to 100, e.g. 80/10/10' }),
  seed: z.number().int().default(42),
  size: z.enum(['original', 'large', 'medium']).default('original'),
  licenses: z.array(z.string().min(1)).optional(),
  minPerClass: z.number().int().min(1).default(1),
  maxPerClass: z.number().int().min(1).optional(),
  taxonRank: z.enum(['species', 'genus']).default('species'),
  allDuplicates: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  /** Writes the export time into the datasheet; off by default so that exports reproduce byte for byte. */
  stampTime: z.boolean().default(false),
  /** Classes with fewer linked groups (clusters, observations) than this go to train only; 1 keeps every class. */
  minGroupsForEval: z.number().int().min(1).default(1),
});
export type ExportOptions = z.input<typeof exportOptionsSchema>;
export type ExportOptionsParsed = z.output<typeof exportOptionsSchema>;

/** Each rule that can keep a catalogued image out of an export. */
export const LEFT_OUT_RULES = [
  'not_in_view',
  'license_unknown',
  'license_not_allowed',
  'attribution_missing',
  'duplicate_member',
  'coarser_rank',
  'class_too_small',
  'over_max_per_class',
] as const;
export type LeftOutRule = (typeof LEFT_OUT_RULES)[number];

export interface ExportLeftOut {
  rule: LeftOutRule;
  images: number;
  /** What it means and what to do, in one sentence (CLI, UI and datasheet print the same words). */
  hint: string;
}

export interface ExportPlan {
  images: number;
  classes: number;
  perSplit: Record<string, number>;
  excludedClasses: { taxon: string; images: number }[];
  /** Licence known but not in the allow-list (NC, ND, all rights reserved ...). */
  excludedByLicense: number;
  /** No licence, or one nobody could read: never exported. */
  excludedLicenseUnknown: number;
  excludedMissingAttribution: number;
  /** Labels coarser than the export rank (e.g. genus-only labels in a species export). */
  excludedCoarserRank: number;
  /** Cluster members left out because their cluster's representative is exported (no --all-duplicates). */
  duplicatesDropped: number;
  cappedByMaxPerClass: number;
  /** Images per class and split. */
  perClass: Record<string, Record<string, number>>;
  /** Near-duplicate pairs across splits after the split (always 0 in a finished export). */
  leakagePairs: number;
  /** Near-duplicate pairs outside any cluster that the leakage check found and kept in one split. */
  regroupedPairs: number;
  /** Images in the catalogue. */
  catalogued: number;
  /** Catalogued images the view's own rules leave out, by rule. */
  notInView: { unlabelled: number; disputed: number; notVerified: number; belowHq: number };
  /** Every rule that removed images, largest first, with what to do. */
  leftOut: ExportLeftOut[];
  /** When nothing would be exported: why and what to do; otherwise null. */
  emptyReason: string | null;
  /** Classes sent to train only because they hold fewer groups than --min-groups-for-eval. */
  trainOnlyClasses: { taxon: string; groups: number }[];
  /** Classes absent from a split that has a non-zero share (too few groups to appear everywhere). */
  classesNotInEverySplit: { taxon: string; groups: number; missing: string[] }[];
}

export interface ExportResult {
  outDir: string;
  leftOut?: ExportLeftOut[];
  emptyReason?: string | null;
  images: number;
  fingerprint: string;
  perSplit: Record<string, number>;
  leakagePairs: number;
  files: string[];
  trainOnlyClasses: ExportPlan['trainOnlyClasses'];
  classesNotInEverySplit: ExportPlan['classesNotInEverySplit'];
}

export const exportApi = {
  'export.plan': method(() => exportOptionsSchema, returns<ExportPlan>()),
  'export.start': method(() => exportOptionsSchema, returns<{ jobId: number }>()),
} as const;
