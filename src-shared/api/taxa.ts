// Contract of taxon names for editing a label: completion from the catalogue's taxa and imported checklists
// (a regional fungal checklist: one name per line, or a Darwin Core taxon file).
import * as z from 'zod';
import type { TaxonRank } from '../model';
import { CHECKLIST_UPLOAD_MAX_BYTES } from '../defaults';
import { method, returns } from './define';

export interface TaxonName {
  name: string;
  rank: TaxonRank | null;
  /** Where the name is known from: a label in the catalogue wins over a checklist. */
  source: 'catalogue' | 'checklist';
}

export interface ChecklistSummary {
  /** The list's name: the name it was imported under, else the imported file's absolute path or uploaded file name. */
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

/** What a list is called in the panel and kept under: one line of text. */
const checklistName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((n) => ![...n].some((c) => c.charCodeAt(0) < 0x20), 'one line of text');

export const taxaApi = {
  /** Names starting with `query` (or with a word of it, e.g. the epithet), catalogue taxa first. */
  'taxa.complete': method(
    () => z.object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(50).default(10) }),
    returns<TaxonName[]>(),
  ),
  /**
   * Reads a checklist file on the machine running the library (one name per line, or a Darwin Core taxon file),
   * kept under `name` when given, else under its path; importing under the same name again replaces the names.
   */
  'taxa.importChecklist': method(
    () => z.object({ path: z.string().trim().min(1).max(4096), name: checklistName.optional() }),
    returns<ChecklistImport>(),
  ),
  /** The same from a file the user picked in the app (a browser cannot name a path): its name and its bytes. */
  'taxa.uploadChecklist': method(
    () =>
      z.object({
        fileName: checklistName.refine((n) => !/[\\/]/.test(n), 'a file name, not a path'),
        // A hard bound only: the handler refuses a file over CHECKLIST_UPLOAD_MAX_BYTES with a sentence naming it.
        contentBase64: z
          .string()
          .max(Math.ceil((2 * CHECKLIST_UPLOAD_MAX_BYTES) / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
      }),
    returns<ChecklistImport>(),
  ),
  'taxa.checklists': method(() => z.object({}), returns<ChecklistSummary[]>()),
} as const;
