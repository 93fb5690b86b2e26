// API handlers of the images as the library shows them: listing, detail, neighbours and licences (the library's info,
// stats and rejected files are library-handlers.ts).
import type { Handlers } from '../handler-types';
import { imageNeighbours } from '../catalog/image-neighbours';
import { listImages } from '../catalog/image-pages';
import { countLicenses } from '../catalog/license-counts';
import { getImageDetail, resolveImageRef } from '../catalog/image-queries';
import { originalForDisplay } from './original-for-display';
import { readLabelHistory, readSuggestions } from '../labels/label-queries';

export const imagesHandlers: Handlers<
  'images.list' | 'images.get' | 'images.original' | 'images.resolve' | 'images.neighbours' | 'images.licenses'
> = {
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
