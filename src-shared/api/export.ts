// Contract of dataset export: options, a dry-run plan, and the export job.
import { z } from 'zod';
import { method, returns } from './define';

export const EXPORT_VIEWS = ['training_hq', 'training_general', 'training_verified'] as const;
export const EXPORT_FORMATS = ['imagefolder', 'csv', 'jsonl', 'hf'] as const;
export type ExportView = (typeof EXPORT_VIEWS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportOptionsSchema = z.object({
  outDir: z.string().min(1),
  view: z.enum(EXPORT_VIEWS).default('training_verified'),
  formats: z.array(z.enum(EXPORT_FORMATS)).min(1).default(['imagefolder', 'csv']),
  /** Percentages for train/val/test; must add up to 100. */
  split: z
    .tuple([z.number().min(0), z.number().min(0), z.number().min(0)])
    .default([80, 10, 10])
    .refine((s) => Math.abs(s[0] + s[1] + s[2] - 100) < 1e-9, { message: 'split must add up to 100' }),
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

export interface ExportPlan {
  images: number;
  classes: number;
  perSplit: Record<string, number>;
  excludedClasses: { taxon: string; images: number }[];
  excludedByLicense: number;
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
  /** Classes sent to train only because they hold fewer groups than --min-groups-for-eval. */
  trainOnlyClasses: { taxon: string; groups: number }[];
  /** Classes absent from a split that has a non-zero share (too few groups to appear everywhere). */
  classesNotInEverySplit: { taxon: string; groups: number; missing: string[] }[];
}

export interface ExportResult {
  outDir: string;
  images: number;
  fingerprint: string;
  perSplit: Record<string, number>;
  leakagePairs: number;
  files: string[];
  trainOnlyClasses: ExportPlan['trainOnlyClasses'];
  classesNotInEverySplit: ExportPlan['classesNotInEverySplit'];
}

export const exportApi = {
  'export.plan': method(exportOptionsSchema, returns<ExportPlan>()),
  'export.start': method(exportOptionsSchema, returns<{ jobId: number }>()),
} as const;
