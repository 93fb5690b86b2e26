// API handlers of the library as a whole: its info, its counts and its rejected files. Apart from the image listing
// (handlers.ts), so that `sporeprint stats` evaluates the stats queries and not the listing, paging and detail code.
import * as z from 'zod';
import { ERROR_CODES, type RejectedFile } from '../../../src-shared/model';
import { parseCount, parseRows } from '../catalog/parse-rows';
import type { Handlers } from '../handler-types';
import { computeLibraryStats } from '../catalog/library-stats';
import { schemaVersion } from '../catalog/migrations';
import { APP_VERSION } from '../version';

const rejectedRow = z.object({
  path: z.string(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  size: z.number().int(),
  at: z.string(),
}) satisfies z.ZodType<RejectedFile>;

export const libraryHandlers: Handlers<'library.info' | 'library.reopen' | 'stats.get' | 'rejected.list'> = {
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
};
