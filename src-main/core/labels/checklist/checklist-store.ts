// SQL of taxon checklists: a file's names replace what the same file gave before; completion over the catalogue's
// taxa and every checklist, case-insensitive, names that start with the query first.
import type { ChecklistSummary, TaxonName } from '../../../../src-shared/api/taxa';
import { TAXON_RANKS, type TaxonRank } from '../../../../src-shared/model';
import * as z from 'zod';
import type { Db } from '../../catalog/database';
import { parseRows } from '../../catalog/parse-rows';

export function replaceChecklist(db: Db, file: string, names: { name: string; rank: TaxonRank }[]): void {
  const insert = db.prepare(`INSERT OR IGNORE INTO checklist_taxon (name, rank, source_file) VALUES (?, ?, ?)`);
  db.transaction(() => {
    db.prepare(`DELETE FROM checklist_taxon WHERE source_file = ?`).run(file);
    for (const n of names) insert.run(n.name, n.rank, file);
  })();
}

const checklistSummaryRow = z.object({ file: z.string(), names: z.number().int(), importedAt: z.string() });

export function listChecklists(db: Db): ChecklistSummary[] {
  const rows = db
    .prepare(
      `SELECT source_file AS file, count(*) AS names, max(imported_at) AS importedAt FROM checklist_taxon
       GROUP BY source_file ORDER BY source_file`,
    )
    .all();
  return parseRows(checklistSummaryRow, rows, 'checklist summary');
}

/** LIKE with the query taken literally (% and _ are characters in it, not wildcards). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A completion row; `later` (names matched inside, not at the start) only orders them. */
const nameRow = z.object({
  name: z.string(),
  rank: z.enum(TAXON_RANKS).nullable(),
  source: z.enum(['catalogue', 'checklist']),
  later: z.number().int(),
});

export function completeTaxon(db: Db, query: string, limit: number): TaxonName[] {
  const literal = likeLiteral(query.trim());
  // 'catalogue' sorts before 'checklist': min(source) says whether a photo in the catalogue carries the name.
  const rows = db
    .prepare(
      `WITH names(name, rank, source) AS (
         SELECT taxon, rank, 'catalogue' FROM label
         UNION ALL SELECT name, rank, 'checklist' FROM checklist_taxon
       )
       SELECT name, rank, min(source) AS source,
              CASE WHEN name LIKE @prefix ESCAPE '\\' THEN 0 ELSE 1 END AS later
       FROM names
       WHERE name LIKE @prefix ESCAPE '\\' OR name LIKE @word ESCAPE '\\'
       GROUP BY name COLLATE NOCASE
       ORDER BY later, source, name COLLATE NOCASE
       LIMIT @limit`,
    )
    .all({ prefix: `${literal}%`, word: `% ${literal}%`, limit });
  return parseRows(nameRow, rows, 'taxon completion').map(({ name, rank, source }) => ({ name, rank, source }));
}
