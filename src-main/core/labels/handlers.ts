// API handlers of label verification (labels.suggest belongs to the embeddings domain, which runs CLIP).
import type { Handlers } from '../handler-types';
import { applyLabels } from './apply-labels';
import { SporeprintError } from '../errors';
import { readLabelHistory } from './label-queries';
import { labelQueue, listTaxa, verifiedNeighbours } from './label-lists';
import { setLabels } from './set-label';
import { undoLastLabelChange } from './undo-label';

export const labelsHandlers: Handlers<
  'labels.set' | 'labels.undo' | 'labels.history' | 'labels.queue' | 'labels.neighbours' | 'labels.taxa' | 'labels.apply'
> = {
  'labels.set': (ctx, input) => {
    const labels = setLabels(ctx.db, input);
    ctx.emit('catalog.changed', { reason: 'labels' });
    return labels;
  },
  'labels.undo': (ctx, input) => {
    const label = undoLastLabelChange(ctx.db, input.imageId);
    ctx.emit('catalog.changed', { reason: 'labels' });
    return label;
  },
  'labels.history': (ctx, input) => {
    if (!ctx.db.prepare(`SELECT 1 FROM image WHERE id = ?`).get(input.imageId))
      throw new SporeprintError('NOT_FOUND', `image ${input.imageId} does not exist`);
    return readLabelHistory(ctx.db, input.imageId);
  },
  'labels.queue': (ctx, input) => labelQueue(ctx.db, input),
  'labels.neighbours': (ctx, input) => verifiedNeighbours(ctx.db, input),
  'labels.taxa': (ctx) => listTaxa(ctx.db),
  'labels.apply': (ctx, input) => {
    const report = applyLabels(ctx.db, input);
    if (report.applied.length > 0) ctx.emit('catalog.changed', { reason: 'labels' });
    return report;
  },
};
