// Contract of dataset export: options, a dry-run plan, and the export job.
import { z } from 'zod';
import { method, returns } from './define';

export const EXPORT_VIEWS = ['training_hq', 'training_general', 'training_verified'] as const;
export const EXPORT_FORMATS = ['imagefolder', 'csv', 'jsonl', 'hf'] as const;

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
});
export type ExportOptions = z.input<typeof exportOptionsSchema>;

export interface ExportPlan {
  images: number;
  classes: number;
  perSplit: Record<string, number>;
  excludedClasses: { taxon: string; images: number }[];
  excludedByLicense: number;
  excludedMissingAttribution: number;
}

export const exportApi = {
  'export.plan': method(exportOptionsSchema, returns<ExportPlan>()),
  'export.start': method(exportOptionsSchema, returns<{ jobId: number }>()),
} as const;
