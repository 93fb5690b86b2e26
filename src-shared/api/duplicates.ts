// Contract of near-duplicate review: clusters at a threshold and the curator's decisions on them.
import * as z from 'zod';
import type { DuplicateCluster } from '../model';
import { method, returns } from './define';

const id = z.number().int().positive();

export const duplicateDecisionSchema = z.discriminatedUnion('action', [
  /** The pair is two different photographs: never cluster them together again. */
  z.object({ action: z.literal('not_duplicate'), imageA: id, imageB: id }),
  /** The member stays a separate training image although it is in a cluster. */
  z.object({ action: z.literal('keep'), imageId: id }),
  /** Two clusters (named by any member of each) are one. */
  z.object({ action: z.literal('merge'), imageA: id, imageB: id }),
  z.object({ action: z.literal('set_representative'), imageId: id }),
  /** Marks a cluster reviewed as it stands. */
  z.object({ action: z.literal('resolve'), imageId: id }),
]);
export type DuplicateDecision = z.infer<typeof duplicateDecisionSchema>;

export const duplicatesApi = {
  /**
   * A pure read. At the threshold in force it lists the stored clusters; at another threshold it builds clusters in
   * memory as a preview (`preview: true`, negative ids) and saves nothing: `duplicates.applyThreshold` does that.
   */
  'duplicates.clusters': method(
    () =>
      z.object({
        threshold: z.number().int().min(0).max(32).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(50),
        includeResolved: z.boolean().default(false),
        /** Only the cluster this image is in, resolved or not: the cluster under review stays in view. */
        containing: id.optional(),
      }),
    returns<{ total: number; unresolved: number; threshold: number; clusters: DuplicateCluster[]; preview: boolean }>(),
  ),
  'duplicates.decide': method(() => duplicateDecisionSchema, returns<{ ok: true }>()),
  /** A job that re-clusters the whole library at `threshold` and makes it the threshold in force. */
  'duplicates.applyThreshold': method(() => z.object({ threshold: z.number().int().min(0).max(32) }), returns<{ jobId: number }>()),
} as const;
