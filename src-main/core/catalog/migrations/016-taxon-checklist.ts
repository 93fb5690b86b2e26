// Taxon checklists (issue 16): names a curator imports (a regional fungal checklist) so Edit taxon can complete
// names the catalogue has no photo of yet. One row per name per file; re-importing a file replaces its rows.
import type { Migration } from './index';

export const taxonChecklistMigration: Migration = {
  name: '016-taxon-checklist',
  sql: /* sql */ `
CREATE TABLE checklist_taxon (
  -- NOCASE: completion is case-insensitive, and LIKE 'prefix%' can use the primary key's index.
  name        TEXT NOT NULL COLLATE NOCASE,
  rank        TEXT,
  source_file TEXT NOT NULL,
  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (name, source_file)
);
CREATE INDEX checklist_taxon_file ON checklist_taxon(source_file);
`,
};
