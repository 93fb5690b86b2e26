// Contract of embeddings and search: models, backfill, text-to-image and image-to-image search.
import * as z from 'zod';
import { LABEL_STATES } from '../model';
import type { ModelInfo, SearchHit } from '../model';
import { method, returns } from './define';

const filters = {
  limit: z.number().int().min(1).max(500).default(20),
  labelState: z.enum(LABEL_STATES).optional(),
  taxon: z.string().min(1).optional(),
  minQuality: z.number().min(0).max(100).optional(),
  /** Only high-quality images (true) or only the others (false), by the catalogue's is_hq flag. */
  hq: z.boolean().optional(),
};

export const searchApi = {
  'search.text': method(() => z.object({ text: z.string().trim().min(1).max(500), ...filters }), returns<SearchHit[]>()),
  /** Exactly one of imageId (an image already in the library), path, or bytes (base64) is given. */
  'search.image': method(
    () =>
      z
        .object({
          imageId: z.number().int().positive().optional(),
          path: z.string().min(1).optional(),
          bytesBase64: z.string().min(1).optional(),
          modelId: z.string().min(1).optional(),
          ...filters,
        })
        .refine((v) => [v.imageId, v.path, v.bytesBase64].filter((x) => x !== undefined).length === 1, {
          message: 'give exactly one of imageId, path or bytesBase64',
        }),
    returns<SearchHit[]>(),
  ),
  'models.list': method(() => z.object({}), returns<ModelInfo[]>()),
  'models.use': method(() => z.object({ id: z.string().min(1) }), returns<ModelInfo>()),
  'models.import': method(() => z.object({ folder: z.string().min(1), id: z.string().min(1).optional() }), returns<ModelInfo>()),
  'models.install': method(() => z.object({ hubId: z.string().min(1) }), returns<{ jobId: number }>()),
  /** Deletes a model's files, stored vectors and index (the built-in descriptor cannot be removed). */
  'models.remove': method(() => z.object({ id: z.string().min(1) }), returns<{ removed: boolean }>()),
  'embed.start': method(() => z.object({ modelId: z.string().min(1).optional() }), returns<{ jobId: number }>()),
} as const;
