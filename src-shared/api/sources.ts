// Contract of the online sources: HQ gap filling from iNaturalist/GBIF/Commons and Darwin Core import.
import { z } from 'zod';
import { method, returns } from './define';

export const SOURCE_NAMES = ['inat', 'gbif', 'commons'] as const;

export const sourcesApi = {
  'sources.missingHq': method(
    z.object({ perTaxon: z.number().int().min(1).default(3) }),
    returns<{ taxon: string; hq: number; images: number }[]>(),
  ),
  'sources.fetchHq': method(
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
    z.object({ path: z.string().min(1), mediaRoot: z.string().min(1).optional(), download: z.boolean().default(false) }),
    returns<{ jobId: number }>(),
  ),
} as const;
