// API handlers of taxon names: completion for Edit taxon, and the checklists that extend it.
import type { Handlers } from '../../handler-types';
import { completeTaxon, listChecklists } from './checklist-store';
import { importChecklist } from './import-checklist';

export const taxaHandlers: Handlers<'taxa.complete' | 'taxa.importChecklist' | 'taxa.checklists'> = {
  'taxa.complete': (ctx, input) => completeTaxon(ctx.db, input.query, input.limit),
  'taxa.importChecklist': (ctx, input) => {
    const result = importChecklist(ctx.db, input.path);
    ctx.emit('catalog.changed', { reason: 'checklist' });
    return result;
  },
  'taxa.checklists': (ctx) => listChecklists(ctx.db),
};
