// SQL of the duplicates domain: fingerprints in, clusters and decisions out, and the materialised clusters.
import type { Db } from '../catalog/database';
import { readSetting, writeSetting } from '../catalog/setting-repository';
import { parseCount, parseIds, parseOptionalId, parseRow, parseRows } from '../catalog/parse-rows';
import { blob, integer, nullable, objectRowChecker } from '../catalog/row-columns';
import * as z from 'zod';
import type { BuiltCluster, ClusterDecisions, ClusterImage } from './cluster-graph';
import { FINGERPRINT_VERSION, parseFingerprint, type Fingerprint } from '../imaging/fingerprint';

export const THRESHOLD_SETTING = 'duplicate_threshold';
/** The DUPLICATE_THRESHOLD setting in force when the clusters were built, to notice when the user changes it. */
export const CONFIGURED_THRESHOLD_SETTING = 'duplicate_threshold_configured';

function readNumberSetting(db: Db, key: string): number | null {
  const value = readSetting(db, key);
  return value === undefined ? null : Number(value);
}

export function readStoredThreshold(db: Db): number | null {
  return readNumberSetting(db, THRESHOLD_SETTING);
}

export function readConfiguredThreshold(db: Db): number | null {
  return readNumberSetting(db, CONFIGURED_THRESHOLD_SETTING);
}

export function writeStoredThreshold(db: Db, threshold: number, configured: number): void {
  writeSetting(db, THRESHOLD_SETTING, String(threshold));
  writeSetting(db, CONFIGURED_THRESHOLD_SETTING, String(configured));
}

// Every fingerprint of the catalogue streams through here: checked column by column rather than by zod.
const checkFingerprintRow = objectRowChecker('fingerprint', { id: integer, fingerprint: nullable(blob) });
const clusterImage = z.object({ id: z.number().int(), quality: z.number(), width: z.number().int(), height: z.number().int() });
const decisionRow = z.object({ action: z.string(), image_a: z.number().int(), image_b: z.number().int().nullable() });
const versionRow = z.object({
  images: z.number().int(),
  lastImage: z.number().int().nullable(),
  current: z.number().int(),
  lastDecision: z.number().int().nullable(),
});

/** Calls `visit` for every current fingerprint, streaming rows so a large catalogue is never held at once. */
export function forEachFingerprint(db: Db, visit: (id: number, fp: Fingerprint) => void): void {
  const rows = db.prepare(`SELECT id, fingerprint FROM image WHERE fingerprint_version = ? ORDER BY id`).iterate(FINGERPRINT_VERSION);
  for (const raw of rows) {
    const row = checkFingerprintRow(raw);
    const fp = parseFingerprint(row.fingerprint);
    if (fp) visit(row.id, fp);
  }
}

export function readFingerprint(db: Db, id: number): Fingerprint | null {
  const row = db.prepare(`SELECT id, fingerprint FROM image WHERE id = ? AND fingerprint_version = ?`).get(id, FINGERPRINT_VERSION);
  return row === undefined ? null : parseFingerprint(checkFingerprintRow(row).fingerprint);
}

export function readClusterImages(db: Db, ids: number[]): ClusterImage[] {
  const stmt = db.prepare(`SELECT id, quality_score AS quality, width, height FROM image WHERE id = ?`);
  return ids.map((id) => parseRow(clusterImage, stmt.get(id), 'cluster image')).filter((x): x is ClusterImage => x !== undefined);
}

export function readDecisions(db: Db): ClusterDecisions {
  const rows = parseRows(
    decisionRow,
    db.prepare(`SELECT action, image_a, image_b FROM duplicate_decision ORDER BY id`).all(),
    'duplicate decision',
  );
  const decisions: ClusterDecisions = { notDuplicate: [], merges: [], representatives: [] };
  for (const r of rows) {
    if (r.action === 'not_duplicate' && r.image_b !== null) decisions.notDuplicate.push([r.image_a, r.image_b]);
    else if (r.action === 'merge' && r.image_b !== null) decisions.merges.push([r.image_a, r.image_b]);
    else if (r.action === 'set_representative') decisions.representatives.push(r.image_a);
  }
  return decisions;
}

export function recordDecision(db: Db, action: string, imageA: number, imageB: number | null): void {
  db.prepare(`INSERT INTO duplicate_decision (action, image_a, image_b) VALUES (?, ?, ?)`).run(action, imageA, imageB);
}

export function clusterIdOf(db: Db, imageId: number): number | null {
  return (
    parseOptionalId(db.prepare(`SELECT cluster_id FROM cluster_member WHERE image_id = ?`).pluck().get(imageId), 'cluster of an image') ??
    null
  );
}

export function clusterMemberIds(db: Db, clusterId: number): number[] {
  return parseIds(
    db.prepare(`SELECT image_id FROM cluster_member WHERE cluster_id = ? ORDER BY image_id`).pluck().all(clusterId),
    'cluster members',
  );
}

/** Image ids that sit in a cluster with any of `ids` (including `ids` that are clustered). */
export function clusterMatesOf(db: Db, ids: Iterable<number>): Set<number> {
  const out = new Set<number>();
  const stmt = db.prepare(
    `SELECT m2.image_id FROM cluster_member m1 JOIN cluster_member m2 ON m2.cluster_id = m1.cluster_id WHERE m1.image_id = ?`,
  );
  for (const id of ids) for (const mate of parseIds(stmt.pluck().all(id), 'cluster mates')) out.add(mate);
  return out;
}

export type MaterialisedCluster = BuiltCluster;

/**
 * Which id each rebuilt cluster keeps (null: a new one), each old id given once: the old cluster it has the same
 * representative as, else the one its representative was in, else the one most of its members came from. So a
 * cluster keeps its name and its place in the review queue (ordered by id) while decisions reshape it, instead of
 * moving to the end under a new id; when one splits, the part around its old representative keeps the id.
 */
export function keptClusterIds(
  clusters: MaterialisedCluster[],
  oldClusterOf: (imageId: number) => number | undefined,
  wasRepresentative: (imageId: number) => boolean,
): (number | null)[] {
  const claimed = new Set<number>();
  const kept: (number | null)[] = clusters.map(() => null);
  const claim = (i: number, id: number | null | undefined) => {
    if (kept[i] !== null || id === null || id === undefined || claimed.has(id)) return;
    claimed.add(id);
    kept[i] = id;
  };
  clusters.forEach((c, i) => wasRepresentative(c.representative) && claim(i, oldClusterOf(c.representative)));
  clusters.forEach((c, i) => claim(i, oldClusterOf(c.representative)));
  clusters.forEach((c, i) => {
    const votes = new Map<number, number>();
    for (const m of c.members) {
      const id = oldClusterOf(m);
      if (id !== undefined && !claimed.has(id)) votes.set(id, (votes.get(id) ?? 0) + 1);
    }
    let best: number | null = null;
    for (const [id, n] of votes) if (best === null || n > votes.get(best)! || (n === votes.get(best)! && id < best)) best = id;
    claim(i, best);
  });
  return kept;
}

/**
 * Replaces the clusters touching `affected` (or all clusters) with `clusters`, in one transaction. A cluster is
 * resolved when a member was marked resolved after every member had been added, so a new copy reopens it.
 */
export function replaceClusters(db: Db, clusters: MaterialisedCluster[], threshold: number, affected: Iterable<number> | 'all'): void {
  const isResolved = resolvedTest(db);
  const insertCluster = db.prepare(`INSERT INTO cluster (id, representative_id, threshold, weakest_link, resolved) VALUES (?, ?, ?, ?, ?)`);
  const insertMember = db.prepare(
    `INSERT INTO cluster_member (image_id, cluster_id, distance, match_json, linked_via) VALUES (?, ?, ?, ?, ?)`,
  );
  const deleteFor = db.prepare(`DELETE FROM cluster WHERE id IN (SELECT cluster_id FROM cluster_member WHERE image_id = ?)`);
  const clusterIdOfImage = db.prepare(`SELECT cluster_id FROM cluster_member WHERE image_id = ?`).pluck();
  db.transaction(() => {
    // Only ids of clusters deleted here can be kept: every other cluster still holds its own.
    const deleted = new Set<number>();
    const oldClusterOf = new Map<number, number>();
    if (affected === 'all') for (const id of parseIds(db.prepare(`SELECT id FROM cluster`).pluck().all(), 'cluster id')) deleted.add(id);
    else for (const image of affected) for (const id of parseIds(clusterIdOfImage.all(image), 'cluster of image')) deleted.add(id);
    for (const c of clusters)
      for (const m of c.members) {
        const id = parseOptionalId(clusterIdOfImage.get(m), 'cluster of image');
        if (id !== undefined && deleted.has(id)) oldClusterOf.set(m, id);
      }
    const representativeOf = db.prepare(`SELECT representative_id FROM cluster WHERE id = ?`).pluck();
    const kept = keptClusterIds(
      clusters,
      (image) => oldClusterOf.get(image),
      (image) => oldClusterOf.has(image) && representativeOf.get(oldClusterOf.get(image)) === image,
    );
    if (affected === 'all') db.prepare(`DELETE FROM cluster`).run();
    else for (const id of affected) deleteFor.run(id);
    // Kept ids first: a new cluster's id (max + 1) could otherwise take a deleted id that a later cluster keeps.
    const order = clusters.map((_, i) => i).sort((a, b) => Number(kept[a] === null) - Number(kept[b] === null));
    for (const i of order) {
      const c = clusters[i]!;
      const clusterId = Number(
        insertCluster.run(kept[i], c.representative, threshold, c.weakestLink, isResolved(c.members) ? 1 : 0).lastInsertRowid,
      );
      c.members.forEach((m, j) => {
        const why = c.matches[j];
        insertMember.run(m, clusterId, c.distances[j]!, why ? JSON.stringify(why) : null, c.linkedVia[j] ?? null);
      });
    }
  })();
}

/** Whether a group of images was marked resolved after its newest member arrived (so a new copy reopens it). */
export function resolvedTest(db: Db): (members: number[]) => boolean {
  const stmt = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM duplicate_decision d WHERE d.action = 'resolve' AND d.image_a IN (SELECT value FROM json_each(?))
       AND d.at >= (SELECT max(created_at) FROM image WHERE id IN (SELECT value FROM json_each(?)))) AS resolved`,
    )
    .pluck();
  return (members) => {
    const ids = JSON.stringify(members);
    return parseCount(stmt.get(ids, ids), 'resolved test') === 1;
  };
}

/** Changes whenever images, fingerprints or decisions change: the key under which a preview stays valid. */
export function catalogueVersion(db: Db): string {
  const found = db
    .prepare(
      `SELECT (SELECT count(*) FROM image) AS images, (SELECT max(id) FROM image) AS lastImage,
              (SELECT count(*) FROM image WHERE fingerprint_version = ?) AS current,
              (SELECT max(id) FROM duplicate_decision) AS lastDecision`,
    )
    .get(FINGERPRINT_VERSION);
  const row = parseRow(versionRow, found, 'catalogue version')!;
  return `${row.images}:${row.lastImage ?? 0}:${row.current}:${row.lastDecision ?? 0}`;
}
