// Contract of label verification: set, undo, history, the verify queue, suggestions and neighbours.
import * as z from 'zod';
import { LABEL_STATES, TAXON_RANKS } from '../model';
import type { ImageSummary, Label, LabelEvent, LabelState } from '../model';
import { method, returns } from './define';

const id = z.number().int().positive();

/** A human decision on a selection of images (labels.set and labels.apply take the same). */
const labelDecisionInput = z.object({
  imageIds: z.array(id).min(1).max(10_000),
  state: z.enum(['human_verified', 'disputed']),
  taxon: z.string().trim().min(1).max(200).optional(),
  rank: z.enum(TAXON_RANKS).optional(),
  note: z.string().max(2000).optional(),
  author: z.string().max(200).optional(),
});

export const labelsApi = {
  /** A human decision on one or more images: verify (optionally at a coarser rank or new taxon) or dispute. */
  'labels.set': method(() => labelDecisionInput, returns<Label[]>()),
  'labels.undo': method(() => z.object({ imageId: id }), returns<Label | null>()),
  'labels.history': method(() => z.object({ imageId: id }), returns<LabelEvent[]>()),
  'labels.queue': method(
    () =>
      z.object({
        states: z.array(z.enum(LABEL_STATES)).default(['source_claimed', 'model_suggested', 'disputed']),
        taxon: z.string().min(1).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      }),
    /** One item per duplicate cluster (its representative; `copies` lists the members decided with it). */
    returns<{ total: number; items: ImageSummary[]; copies: Record<string, number[]> }>(),
  ),
  'labels.suggest': method(
    () =>
      z.object({
        imageIds: z.array(id).optional(),
        vocabularyFile: z.string().min(1).optional(),
        topK: z.number().int().min(1).max(20).default(5),
      }),
    returns<{ jobId: number }>(),
  ),
  /** Human-verified images of a taxon, for side-by-side comparison in the verify view. */
  'labels.neighbours': method(
    () => z.object({ taxon: z.string().min(1), excludeImageId: id.optional(), limit: z.number().int().min(1).max(50).default(8) }),
    returns<ImageSummary[]>(),
  ),
  'labels.taxa': method(() => z.object({}), returns<{ taxon: string; rank: string; images: number; verified: number }[]>()),
  /**
   * labels.set for a selection: applied to each image it can apply to, the others left as is and reported with
   * the reason (labels.set is all or nothing).
   */
  'labels.apply': method(() => labelDecisionInput, returns<ApplyReport>()),
} as const;

export interface ApplyReport {
  applied: number[];
  skipped: {
    imageId: number;
    /** Its label state, left as is (null: unlabelled). */
    state: LabelState | null;
    reason: string;
  }[];
}
