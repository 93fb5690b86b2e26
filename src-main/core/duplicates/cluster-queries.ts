// Reads materialised clusters for review: members with their paths, distance to the representative and decisions.
import type { ClusterMember, DuplicateCluster, MatchExplanation } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { derivativeRelativePath } from '../library-paths';

interface ClusterRow {
  id: number;
  representative_id: number;
  weakest_link: number;
  resolved: number;
}

interface MemberRow {
  image_id: number;
  distance: number;
  quality_score: number;
  width: number;
  height: number;
  sha256: string;
  kept: number;
  match_json: string | null;
}

export interface ClusterPage {
  total: number;
  unresolved: number;
  clusters: DuplicateCluster[];
}

export function listClusters(db: Db, page: { offset: number; limit: number; includeResolved: boolean }): ClusterPage {
  const where = page.includeResolved ? '' : 'WHERE resolved = 0';
  const total = db.prepare(`SELECT count(*) FROM cluster ${where}`).pluck().get() as number;
  const unresolved = db.prepare(`SELECT count(*) FROM cluster WHERE resolved = 0`).pluck().get() as number;
  const rows = db
    .prepare(`SELECT id, representative_id, weakest_link, resolved FROM cluster ${where} ORDER BY id LIMIT ? OFFSET ?`)
    .all(page.limit, page.offset) as ClusterRow[];
  return { total, unresolved, clusters: rows.map((r) => readCluster(db, r)) };
}

export function getCluster(db: Db, clusterId: number): DuplicateCluster | null {
  const row = db.prepare(`SELECT id, representative_id, weakest_link, resolved FROM cluster WHERE id = ?`).get(clusterId) as
    ClusterRow | undefined;
  return row ? readCluster(db, row) : null;
}

function readCluster(db: Db, row: ClusterRow): DuplicateCluster {
  const members = db
    .prepare(
      `SELECT cm.image_id, cm.distance, cm.match_json, i.quality_score, i.width, i.height, i.sha256,
              EXISTS (SELECT 1 FROM duplicate_decision d WHERE d.action = 'keep' AND d.image_a = cm.image_id) AS kept
       FROM cluster_member cm JOIN image i ON i.id = cm.image_id
       WHERE cm.cluster_id = ? ORDER BY cm.image_id = ? DESC, cm.distance, cm.image_id`,
    )
    .all(row.id, row.representative_id) as MemberRow[];
  const paths = db.prepare(`SELECT path FROM location WHERE image_id = ? ORDER BY id`).pluck();
  return {
    id: row.id,
    representative: row.representative_id,
    weakestLink: row.weakest_link,
    resolved: row.resolved === 1,
    members: members.map((m): ClusterMember => ({
      imageId: m.image_id,
      paths: paths.all(m.image_id) as string[],
      distance: m.distance,
      quality: m.quality_score,
      width: m.width,
      height: m.height,
      thumbPath: derivativeRelativePath(m.sha256, 'thumb', 'jpeg'),
      decision: m.kept ? 'keep' : null,
      match: parseMatch(m.match_json),
    })),
  };
}

/** The stored explanation, checked field by field (rows are parsed once, here); null when absent or malformed. */
function parseMatch(json: string | null): MatchExplanation | null {
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null; // written by replaceClusters from a MatchExplanation; a damaged row shows no explanation
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.transform !== 'string' || typeof v.distance !== 'number' || typeof v.measure !== 'string' || typeof v.agreement !== 'number')
    return null;
  return {
    transform: v.transform,
    distance: v.distance,
    measure: v.measure,
    agreement: v.agreement,
    ...(typeof v.detail === 'string' ? { detail: v.detail } : {}),
  };
}
