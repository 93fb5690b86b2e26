// Lists for verification: the queue of labels awaiting a human, verified neighbours of a taxon, and the taxa.
import * as z from 'zod';
import type { ImageSummary, LabelState } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { SUMMARY_COLUMNS, summaryRowSchema, toImageSummary } from '../catalog/image-queries';
import { parseCount, parseIds, parseRows } from '../catalog/parse-rows';

export interface LabelQueuePage {
  total: number;
  items: ImageSummary[];
  /** For a queued cluster representative: the other members of its cluster, decided together with it. */
  copies: Record<string, number[]>;
}

/**
 * The photos awaiting a human, one card per duplicate cluster (its representative stands for the copies) and the
 * photos of one observation next to each other, as iNaturalist's Identify shows them.
 */
export function labelQueue(db: Db, q: { states: LabelState[]; taxon?: string; offset: number; limit: number }): LabelQueuePage {
  const states = JSON.stringify(q.states);
  // A member whose representative is itself waiting is decided with it, so it takes no card of its own.
  const where = `l.state IN (SELECT value FROM json_each(@states)) AND (@taxon IS NULL OR l.taxon = @taxon)
    AND NOT EXISTS (SELECT 1 FROM cluster_member cm JOIN cluster c ON c.id = cm.cluster_id
                    JOIN label rl ON rl.image_id = c.representative_id
                    WHERE cm.image_id = l.image_id AND c.representative_id <> l.image_id
                      AND rl.state IN (SELECT value FROM json_each(@states)))`;
  const params = { states, taxon: q.taxon ?? null };
  const total = parseCount(db.prepare(`SELECT count(*) FROM label l WHERE ${where}`).pluck().get(params), 'label queue count');
  // Grouped by taxon so a curator verifies one species at a time, then by observation, best pictures first.
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM label l JOIN image i ON i.id = l.image_id WHERE ${where}
       ORDER BY l.taxon, i.observation_group IS NULL, i.observation_group, i.quality_score DESC, i.id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset });
  const items = parseRows(summaryRowSchema, rows, 'label queue').map(toImageSummary);
  const mates = db.prepare(`SELECT image_id FROM cluster_member WHERE cluster_id = ? AND image_id <> ? ORDER BY image_id`).pluck();
  const copies: Record<string, number[]> = {};
  for (const item of items)
    if (item.clusterId !== null) copies[String(item.id)] = parseIds(mates.all(item.clusterId, item.id), 'cluster mates');
  return { total, items, copies };
}

export function verifiedNeighbours(db: Db, q: { taxon: string; excludeImageId?: number; limit: number }): ImageSummary[] {
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM label l JOIN image i ON i.id = l.image_id
       WHERE l.state = 'human_verified' AND l.taxon = @taxon AND i.id <> @exclude
         -- Never the same picture again: copies in the excluded image's duplicate cluster are left out too.
         AND NOT EXISTS (SELECT 1 FROM cluster_member a JOIN cluster_member b ON b.cluster_id = a.cluster_id
                         WHERE a.image_id = @exclude AND b.image_id = i.id)
       ORDER BY i.quality_score DESC, i.id LIMIT @limit`,
    )
    .all({ taxon: q.taxon, exclude: q.excludeImageId ?? 0, limit: q.limit });
  return parseRows(summaryRowSchema, rows, 'verified neighbour').map(toImageSummary);
}

const taxonRow = z.object({ taxon: z.string(), rank: z.string(), images: z.number().int(), verified: z.number().int() });

export function listTaxa(db: Db): z.output<typeof taxonRow>[] {
  const rows = db
    .prepare(
      `SELECT taxon, rank, count(*) AS images, sum(CASE WHEN state = 'human_verified' THEN 1 ELSE 0 END) AS verified
       FROM label GROUP BY taxon, rank ORDER BY taxon, rank`,
    )
    .all();
  return parseRows(taxonRow, rows, 'taxon list');
}
