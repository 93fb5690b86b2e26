// API handlers of licences and credit.
import { LICENSE_DESCRIPTIONS, LICENSE_FAMILIES, PICKABLE_LICENSE_IDS, isLicenseAllowed } from '../../../src-shared/licenses';
import { SporeprintError } from '../errors';
import type { Handlers } from '../handler-types';
import { readLicenseEvents } from './license-events';
import { resolveLicenseTargets } from './license-targets';
import { defaultAuthor, readMyPhotos, requireMyPhotos, writeMyPhotos } from './my-photos';
import { assignLicenses } from './set-licenses';
import { undoLicenseChanges } from './undo-licenses';

export const licensesHandlers: Handlers<
  'licenses.set' | 'licenses.undo' | 'licenses.history' | 'licenses.vocabulary' | 'licenses.setMyPhotos'
> = {
  'licenses.set': (ctx, input) => {
    const mine = input.mine ? requireMyPhotos(ctx) : null;
    const license = input.license ?? mine!.license;
    const result = assignLicenses(ctx.db, {
      imageIds: resolveLicenseTargets(ctx.db, input),
      license,
      attribution: input.attribution ?? mine?.attribution,
      sourceUrl: input.sourceUrl,
      onlyMissing: input.onlyMissing,
      author: input.author ?? defaultAuthor(ctx),
      action: 'set',
      note: input.note,
    });
    if (result.changed) ctx.emit('catalog.changed', { reason: 'licenses' });
    return result;
  },
  'licenses.undo': (ctx, input) => {
    const result = undoLicenseChanges(ctx.db, resolveLicenseTargets(ctx.db, input), defaultAuthor(ctx));
    ctx.emit('catalog.changed', { reason: 'licenses' });
    return result;
  },
  'licenses.history': (ctx, input) => {
    if (!ctx.db.prepare(`SELECT 1 FROM image WHERE id = ?`).get(input.imageId))
      throw new SporeprintError('NOT_FOUND', `image ${input.imageId} does not exist`);
    return readLicenseEvents(ctx.db, input.imageId);
  },
  'licenses.vocabulary': (ctx) => ({
    pickable: [...PICKABLE_LICENSE_IDS],
    families: LICENSE_FAMILIES.map((family) => ({
      family,
      description: LICENSE_DESCRIPTIONS[family],
      allowed: isLicenseAllowed(family, ctx.config.LICENSE_ALLOW_LIST),
    })),
    allowList: [...ctx.config.LICENSE_ALLOW_LIST],
    myPhotos: readMyPhotos(ctx.db),
  }),
  'licenses.setMyPhotos': (ctx, input) => writeMyPhotos(ctx.db, input),
};
