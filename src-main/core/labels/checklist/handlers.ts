// API handlers of taxon names: completion for Edit taxon, and the checklists that extend it.
import type { Handlers } from '../../handler-types';
import { completeTaxon, listChecklists } from './checklist-store';
import { importChecklistFile, importUploadedChecklist } from './import-checklist';

export const taxaHandlers: Handlers<'taxa.complete' | 'taxa.importChecklist' | 'taxa.uploadChecklist' | 'taxa.checklists'> = {
  'taxa.complete': (ctx, input) => completeTaxon(ctx.db, input.query, input.limit),
  'taxa.importChecklist': (ctx, input) => {
    const result = importChecklistFile(ctx.db, input.path, input.name);
    ctx.emit('catalog.changed', { reason: 'checklist' });
    return result;
  },
  'taxa.uploadChecklist': (ctx, input) => {
    const result = importUploadedChecklist(ctx.db, input.fileName, input.contentBase64);
    ctx.emit('catalog.changed', { reason: 'checklist' });
    return result;
  },
  'taxa.checklists': (ctx) => listChecklists(ctx.db),
};
