// Contract of taxon names for editing a label: completion from the catalogue's taxa and imported checklists
// (a regional fungal checklist: one name per line, or a Darwin Core taxon file).
import * as z from 'zod';
import type { TaxonRank } from '../model';
import { method, returns } from './define';

export interface TaxonName {
  name: string;
  rank: TaxonRank | null;
  /** Where the name is known from: a label in the catalogue wins over a checklist. */
  source: 'catalogue' | 'checklist';
}

export interface ChecklistSummary {
  /** Absolute path of the imported file, as given. */
  file: string;
  names: number;
  importedAt: string;
}

export interface ChecklistImport {
  file: string;
  format: 'list' | 'darwin-core';
  /** Distinct names stored from this file (a re-import replaces the file's earlier names). */
  names: number;
  /** Lines or rows that held no scientific name, with the first few line numbers. */
  skipped: number;
  skippedLines: number[];
}

export const taxaApi = {
  /** Names starting with `query` (or with a word of it, e.g. the epithet), catalogue taxa first. */
  'taxa.complete': method(
    z.object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(50).default(10) }),
    returns<TaxonName[]>(),
  ),
  /** Reads a checklist file into the library (one name per line, or a Darwin Core taxon file). */
  'taxa.importChecklist': method(z.object({ path: z.string().trim().min(1).max(4096) }), returns<ChecklistImport>()),
  'taxa.checklists': method(z.object({}), returns<ChecklistSummary[]>()),
} as const;
