// Lists for verification: the queue of labels awaiting a human, verified neighbours of a taxon, and the taxa.
import type { ImageSummary, LabelState } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { SUMMARY_COLUMNS, toImageSummary, type SummaryRow } from '../catalog/image-queries';

export function labelQueue(
  db: Db,
  q: { states: LabelState[]; taxon?: string; offset: number; limit: number },
): { total: number; items: ImageSummary[] } {
  const states = JSON.stringify(q.states);
  const where = `l.state IN (SELECT value FROM json_each(@states)) AND (@taxon IS NULL OR l.taxon = @taxon)`;
  const params = { states, taxon: q.taxon ?? null };
  const total = db.prepare(`SELECT count(*) FROM label l WHERE ${where}`).pluck().get(params) as number;
  // Grouped by taxon so a curator verifies one species at a time, best pictures first.
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM label l JOIN image i ON i.id = l.image_id WHERE ${where} ORDER BY l.taxon, i.quality_score DESC, i.id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset }) as SummaryRow[];
  return { total, items: rows.map(toImageSummary) };
}

export function verifiedNeighbours(db: Db, q: { taxon: string; excludeImageId?: number; limit: number }): ImageSummary[] {
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM label l JOIN image i ON i.id = l.image_id
       WHERE l.state = 'human_verified' AND l.taxon = ? AND i.id <> ? ORDER BY i.quality_score DESC, i.id LIMIT ?`,
    )
    .all(q.taxon, q.excludeImageId ?? 0, q.limit) as SummaryRow[];
  return rows.map(toImageSummary);
}

export function listTaxa(db: Db): { taxon: string; rank: string; images: number; verified: number }[] {
  return db
    .prepare(
      `SELECT taxon, rank, count(*) AS images, sum(CASE WHEN state = 'human_verified' THEN 1 ELSE 0 END) AS verified
       FROM label GROUP BY taxon, rank ORDER BY taxon, rank`,
    )
    .all() as { taxon: string; rank: string; images: number; verified: number }[];
}
