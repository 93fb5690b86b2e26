// API handlers of the images as the library shows them: library info, stats, rejected files, image listing and detail.
import * as z from 'zod';
import { ERROR_CODES, type RejectedFile } from '../../../src-shared/model';
import { parseCount, parseRows } from '../catalog/parse-rows';
import type { Handlers } from '../handler-types';
import { imageNeighbours } from '../catalog/image-neighbours';
import { listImages } from '../catalog/image-pages';
import { countLicenses } from '../catalog/license-counts';
import { getImageDetail, resolveImageRef } from '../catalog/image-queries';
import { computeLibraryStats } from '../catalog/library-stats';
import { schemaVersion } from '../catalog/migrations';
import { APP_VERSION } from '../version';
import { originalForDisplay } from './original-for-display';
import { readLabelHistory, readSuggestions } from '../labels/label-queries';

const rejectedRow = z.object({
  path: z.string(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  size: z.number().int(),
  at: z.string(),
}) satisfies z.ZodType<RejectedFile>;

export const imagesHandlers: Handlers<
  | 'library.info'
  | 'library.reopen'
  | 'stats.get'
  | 'rejected.list'
  | 'images.list'
  | 'images.get'
  | 'images.original'
  | 'images.resolve'
  | 'images.neighbours'
  | 'images.licenses'
> = {
  'library.info': (ctx) => ({ path: ctx.dir, schemaVersion: schemaVersion(ctx.db), appVersion: APP_VERSION, readOnly: ctx.readOnlyReason }),
  // An open library has nothing to reopen; the host answers this itself when the library's thread has stopped.
  'library.reopen': (ctx) => ({ path: ctx.dir, reopened: false }),
  'stats.get': (ctx) => computeLibraryStats(ctx.db),
  'rejected.list': (ctx, input) => ({
    total: parseCount(ctx.db.prepare(`SELECT count(*) FROM rejected_file`).pluck().get(), 'rejected file count'),
    items: parseRows(
      rejectedRow,
      ctx.db
        .prepare(`SELECT path, code, message, size, at FROM rejected_file ORDER BY at DESC, path LIMIT ? OFFSET ?`)
        .all(input.limit, input.offset),
      'rejected file',
    ),
  }),
  'images.list': (ctx, input) => listImages(ctx.db, input),
  'images.get': (ctx, input) => ({
    ...getImageDetail(ctx.db, input.id),
    history: readLabelHistory(ctx.db, input.id),
    suggestions: readSuggestions(ctx.db, input.id),
  }),
  'images.original': (ctx, input) => originalForDisplay(ctx, input.id),
  'images.resolve': (ctx, input) => ({ id: resolveImageRef(ctx.db, input.ref) }),
  'images.neighbours': (ctx, input) => imageNeighbours(ctx.db, input),
  'images.licenses': (ctx) => countLicenses(ctx.db),
};
