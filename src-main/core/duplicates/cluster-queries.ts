// Reads clusters for review: the stored ones, or clusters built in memory for a threshold preview, described the
// same way (members with paths, taxon, label state, licence, size, distance to the representative, why they matched,
// decisions).
import * as z from 'zod';
import { LABEL_STATES, type ClusterMember, type DuplicateCluster, type MatchExplanation } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { imagePathReader } from '../catalog/location-repository';
import { parseCount, parseRow, parseRows, sqliteBoolean } from '../catalog/parse-rows';
import { derivativeRelativePath } from '../library-paths';

/** A cluster as stored or previewed: who is in it, before the members are described. */
export interface ClusterOutline {
  id: number;
  representative: number;
  weakestLink: number;
  resolved: boolean;
  members: { imageId: number; distance: number; match: MatchExplanation | null; linkedVia: number | null }[];
}

const clusterRow = z.object({
  id: z.number().int(),
  representative_id: z.number().int(),
  weakest_link: z.number(),
  resolved: sqliteBoolean,
});
type ClusterRow = z.output<typeof clusterRow>;

const memberRow = z.object({
  quality_score: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  sha256: z.string(),
  file_size: z.number().int(),
  license: z.string().nullable(),
  taxon: z.string().nullable(),
  state: z.enum(LABEL_STATES).nullable(),
  kept: sqliteBoolean,
});

const storedMember = z.object({
  imageId: z.number().int(),
  distance: z.number(),
  match_json: z.string().nullable(),
  linked_via: z.number().int().nullable(),
});

export interface ClusterPage {
  total: number;
  unresolved: number;
  clusters: DuplicateCluster[];
}

export interface ClusterPageQuery {
  offset: number;
  limit: number;
  includeResolved: boolean;
  /** Only the cluster this image is in (the one under review stays in view while decisions rebuild it). */
  containing?: number | undefined;
}

export function listClusters(db: Db, page: ClusterPageQuery): ClusterPage {
  const unresolved = parseCount(db.prepare(`SELECT count(*) FROM cluster WHERE resolved = 0`).pluck().get(), 'unresolved cluster count');
  if (page.containing !== undefined) {
    const found = db
      .prepare(
        `SELECT c.id, c.representative_id, c.weakest_link, c.resolved FROM cluster c
         JOIN cluster_member cm ON cm.cluster_id = c.id WHERE cm.image_id = ?`,
      )
      .get(page.containing);
    const row = parseRow(clusterRow, found, 'cluster');
    return { total: row ? 1 : 0, unresolved, clusters: row ? [describeCluster(db, storedOutline(db, row))] : [] };
  }
  const where = page.includeResolved ? '' : 'WHERE resolved = 0';
  const total = parseCount(db.prepare(`SELECT count(*) FROM cluster ${where}`).pluck().get(), 'cluster count');
  const rows = parseRows(
    clusterRow,
    db
      .prepare(`SELECT id, representative_id, weakest_link, resolved FROM cluster ${where} ORDER BY id LIMIT ? OFFSET ?`)
      .all(page.limit, page.offset),
    'cluster',
  );
  return { total, unresolved, clusters: rows.map((r) => describeCluster(db, storedOutline(db, r))) };
}

/** The same page over clusters that exist only in memory (a preview), in the same order rules as stored ones. */
export function pageOfOutlines(db: Db, outlines: ClusterOutline[], page: ClusterPageQuery): ClusterPage {
  const unresolved = outlines.filter((c) => !c.resolved).length;
  let chosen = page.includeResolved ? outlines : outlines.filter((c) => !c.resolved);
  if (page.containing !== undefined) chosen = outlines.filter((c) => c.members.some((m) => m.imageId === page.containing));
  const slice = page.containing !== undefined ? chosen : chosen.slice(page.offset, page.offset + page.limit);
  return { total: chosen.length, unresolved, clusters: slice.map((c) => describeCluster(db, c)) };
}

export function getCluster(db: Db, clusterId: number): DuplicateCluster | null {
  const row = parseRow(
    clusterRow,
    db.prepare(`SELECT id, representative_id, weakest_link, resolved FROM cluster WHERE id = ?`).get(clusterId),
    'cluster',
  );
  return row ? describeCluster(db, storedOutline(db, row)) : null;
}

function storedOutline(db: Db, row: ClusterRow): ClusterOutline {
  const members = parseRows(
    storedMember,
    db.prepare(`SELECT image_id AS imageId, distance, match_json, linked_via FROM cluster_member WHERE cluster_id = ?`).all(row.id),
    'cluster member',
  );
  return {
    id: row.id,
    representative: row.representative_id,
    weakestLink: row.weakest_link,
    resolved: row.resolved === 1,
    members: members.map((m) => ({ imageId: m.imageId, distance: m.distance, match: parseMatch(m.match_json), linkedVia: m.linked_via })),
  };
}

/** Representative first, then the closest members. */
function describeCluster(db: Db, outline: ClusterOutline): DuplicateCluster {
  const memberStmt = db.prepare(
    `SELECT i.quality_score, i.width, i.height, i.sha256, i.file_size, i.license, l.taxon, l.state,
            EXISTS (SELECT 1 FROM duplicate_decision d WHERE d.action = 'keep' AND d.image_a = i.id) AS kept
     FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE i.id = ?`,
  );
  const paths = imagePathReader(db);
  const ordered = [...outline.members].sort(
    (a, b) =>
      Number(b.imageId === outline.representative) - Number(a.imageId === outline.representative) ||
      a.distance - b.distance ||
      a.imageId - b.imageId,
  );
  const members: ClusterMember[] = [];
  for (const m of ordered) {
    const row = parseRow(memberRow, memberStmt.get(m.imageId), 'cluster member image');
    if (!row) continue;
    members.push({
      imageId: m.imageId,
      paths: paths(m.imageId),
      distance: m.distance,
      quality: row.quality_score,
      width: row.width,
      height: row.height,
      thumbPath: derivativeRelativePath(row.sha256, 'thumb', 'jpeg'),
      decision: row.kept ? 'keep' : null,
      taxon: row.taxon,
      labelState: row.state,
      license: row.license,
      fileSize: row.file_size,
      largePath: derivativeRelativePath(row.sha256, 'large', 'jpeg'),
      match: m.match,
      linkedVia: m.linkedVia,
    });
  }
  return { id: outline.id, representative: outline.representative, weakestLink: outline.weakestLink, resolved: outline.resolved, members };
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
