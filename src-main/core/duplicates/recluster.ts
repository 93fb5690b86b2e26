// Materialises near-duplicate clusters: all at once (first run, threshold change) or incrementally after ingest.
import type { Db } from '../catalog/database';
import { SerialQueue } from '../concurrency/serial-queue';
import type { LibraryContext } from '../library-context';
import { buildClustersFromGroups, type ConfirmEdge, type Edge } from './cluster-graph';
import { CandidateGroups } from './candidate-groups';
import { DuplicateIndex } from './duplicate-index';
import type { ClusterOutline } from './cluster-queries';
import {
  catalogueVersion,
  clusterMatesOf,
  forEachFingerprint,
  readClusterImages,
  readDecisions,
  readFingerprint,
  readConfiguredThreshold,
  readStoredThreshold,
  replaceClusters,
  resolvedTest,
  writeStoredThreshold,
  type MaterialisedCluster,
} from './duplicate-store';
import type { Fingerprint } from '../imaging/fingerprint';
import { CandidateConfirmer } from './confirm-candidates';
import { fingerprintDistance } from './fingerprint-distance';
import { backfillMatchThumbnails } from './verify/thumbnail-store';
import { JoinWorkers } from './parallel-join';
import { upgradeFingerprints } from './upgrade-fingerprints';

export interface ReclusterResult {
  threshold: number;
  clusters: number;
  clusteredImages: number;
  upgradedFingerprints: number;
}

interface IndexHolder {
  index: DuplicateIndex | null;
  /** Re-clusterings, one at a time (see `oneAtATime`). */
  queue: SerialQueue;
}

function indexHolder(ctx: LibraryContext): IndexHolder {
  return ctx.service<IndexHolder>('duplicates.index', () => ({ index: null, queue: new SerialQueue() }));
}

/**
 * Re-clusterings of one library run one at a time: each reads the fingerprints, awaits the join, then replaces
 * clusters, and two interleaved (two ingests finishing together) could write clusters from an older read last.
 */
function oneAtATime<T>(ctx: LibraryContext, run: () => Promise<T>): Promise<T> {
  return indexHolder(ctx).queue.run(run);
}

/** Every current fingerprint in a fresh index; also into `cache` when given, for a caller that needs them all. */
function loadIndex(db: Db, cache?: Map<number, Fingerprint | null>): DuplicateIndex {
  const index = new DuplicateIndex();
  forEachFingerprint(db, (id, fp) => {
    index.add(id, fp);
    cache?.set(id, fp);
  });
  return index;
}

/**
 * The threshold last chosen (API or CLI) stays in force, unless the DUPLICATE_THRESHOLD setting itself changed
 * since the clusters were built: then the new setting wins.
 */
export function currentThreshold(ctx: LibraryContext): number {
  const stored = readStoredThreshold(ctx.db);
  if (stored === null || readConfiguredThreshold(ctx.db) !== ctx.config.DUPLICATE_THRESHOLD) return ctx.config.DUPLICATE_THRESHOLD;
  return stored;
}

/** Re-clusters the whole library at `threshold` (fingerprints of an older version are recomputed first). */
export function reclusterAll(ctx: LibraryContext, threshold: number, signal?: AbortSignal): Promise<ReclusterResult> {
  return oneAtATime(ctx, () => reclusterAllNow(ctx, threshold, signal));
}

async function reclusterAllNow(ctx: LibraryContext, threshold: number, signal?: AbortSignal): Promise<ReclusterResult> {
  const upgraded = await upgradeFingerprints(ctx, signal);
  await backfillMatchThumbnails(ctx, signal);
  const cache = new Map<number, Fingerprint | null>();
  const index = loadIndex(ctx.db, cache);
  indexHolder(ctx).index = index;
  const clusters = await clustersOfWholeLibrary(ctx.db, index, cache, threshold);
  replaceClusters(ctx.db, clusters, threshold, 'all');
  writeStoredThreshold(ctx.db, threshold, ctx.config.DUPLICATE_THRESHOLD);
  return summarise(threshold, clusters, upgraded);
}

/** Every confirmed pair at `threshold`, joined into clusters with the curator's decisions. Reads only. */
async function clustersOfWholeLibrary(
  db: Db,
  index: DuplicateIndex,
  cache: Map<number, Fingerprint | null>,
  threshold: number,
): Promise<MaterialisedCluster[]> {
  const confirmer = new CandidateConfirmer(db, threshold);
  const groups = candidateGroupsOf(db, cache, confirmer);
  const workers = new JoinWorkers();
  try {
    // Each pair once whichever image is the copy: the check is symmetric. Pairs inside a group already formed
    // wait until the star step asks about them (candidate-groups.ts).
    await index.forEachCandidatePair(threshold, workers, (a, b) => groups.offer(a, b));
  } finally {
    await workers.close();
  }
  const decisions = readDecisions(db);
  const involved = new Set<number>(groups.joinedImages());
  for (const [a, b] of decisions.merges) involved.add(a).add(b);
  return clustersOfGroups(db, cache, [...involved], groups, decisions, confirmer);
}

/** Groups of candidate pairs confirmed with the hash gate, each pair confirmed at most once and only when needed. */
function candidateGroupsOf(db: Db, cache: Map<number, Fingerprint | null>, confirmer: CandidateConfirmer): CandidateGroups {
  return new CandidateGroups((a, b) => confirmedEdge(db, cache, confirmer, a, b, false));
}

interface PreviewCache {
  key: string;
  outlines: ClusterOutline[];
}

/**
 * The clusters the library would have at `threshold`, built in memory and never saved (fingerprints of an older
 * version are left out rather than upgraded, since upgrading writes). The last preview is kept while nothing
 * changed, so paging through it or returning to it costs nothing.
 */
export async function previewClusters(ctx: LibraryContext, threshold: number): Promise<ClusterOutline[]> {
  const holder = ctx.service<{ last: PreviewCache | null }>('duplicates.preview', () => ({ last: null }));
  const key = `${threshold}:${catalogueVersion(ctx.db)}`;
  if (holder.last?.key === key) return holder.last.outlines;
  const cache = new Map<number, Fingerprint | null>();
  const clusters = await clustersOfWholeLibrary(ctx.db, loadIndex(ctx.db, cache), cache, threshold);
  const resolved = resolvedTest(ctx.db);
  const outlines = clusters.map((c, i): ClusterOutline => ({
    // Negative ids: a preview cluster is not stored and cannot be named in a decision.
    id: -(i + 1),
    representative: c.representative,
    weakestLink: c.weakestLink,
    resolved: resolved(c.members),
    members: c.members.map((imageId, j) => ({
      imageId,
      distance: c.distances[j]!,
      match: c.matches[j] ?? null,
      linkedVia: c.linkedVia[j] ?? null,
    })),
  }));
  holder.last = { key, outlines };
  return outlines;
}

/**
 * Adds new images to the clusters without a full recompute: only the connected components the new images
 * reach (found by index queries, plus existing cluster mates) are rebuilt.
 */
export function clusterNewImages(ctx: LibraryContext, imageIds: number[], signal?: AbortSignal): Promise<ReclusterResult> {
  return oneAtATime(ctx, () => clusterNewImagesNow(ctx, imageIds, signal));
}

async function clusterNewImagesNow(ctx: LibraryContext, imageIds: number[], signal?: AbortSignal): Promise<ReclusterResult> {
  const stored = readStoredThreshold(ctx.db);
  const threshold = currentThreshold(ctx);
  if (stored !== threshold) return reclusterAllNow(ctx, threshold, signal);
  const upgraded = await upgradeFingerprints(ctx, signal);
  await backfillMatchThumbnails(ctx, signal);
  const holder = indexHolder(ctx);
  if (!holder.index || upgraded > 0) holder.index = loadIndex(ctx.db);
  const index = holder.index;
  const cache = new Map<number, Fingerprint | null>();
  for (const id of imageIds) {
    const fp = fingerprintOf(ctx.db, cache, id);
    if (fp) index.add(id, fp);
  }
  const confirmer = new CandidateConfirmer(ctx.db, threshold);
  const groups = candidateGroupsOf(ctx.db, cache, confirmer);
  const component = reachableFrom(ctx.db, index, cache, imageIds, groups, threshold);
  const clusters = clustersOfGroups(ctx.db, cache, [...component], groups, readDecisions(ctx.db), confirmer);
  replaceClusters(ctx.db, clusters, threshold, component);
  return summarise(threshold, clusters, upgraded);
}

/**
 * Every image the new ones reach through confirmed candidate pairs (and existing cluster mates and merges), each
 * candidate pair of them offered to `groups` (so a pair inside a group already joined waits for the star step).
 */
function reachableFrom(
  db: Db,
  index: DuplicateIndex,
  cache: Map<number, Fingerprint | null>,
  seeds: number[],
  groups: CandidateGroups,
  threshold: number,
): Set<number> {
  const seen = new Set<number>(seeds);
  const queue = [...seeds];
  const decisions = readDecisions(db);
  const merged = new Map<number, number[]>();
  for (const [a, b] of decisions.merges) {
    (merged.get(a) ?? merged.set(a, []).get(a)!).push(b);
    (merged.get(b) ?? merged.set(b, []).get(b)!).push(a);
  }
  const visit = (id: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    queue.push(id);
  };
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const mate of clusterMatesOf(db, [id])) visit(mate);
    for (const other of merged.get(id) ?? []) visit(other);
    const fp = fingerprintOf(db, cache, id);
    if (!fp) continue;
    for (const other of index.candidates(id, fp, threshold, true)) {
      if (!fingerprintOf(db, cache, other)) continue;
      groups.offer(id, other);
      // Joined now or before: either way `other` is reached (every member of a group was visited when it joined).
      if (groups.groupOf(id) === groups.groupOf(other)) visit(other);
    }
  }
  return seen;
}

/** The clusters of `ids` (groups of confirmed candidates, the curator's decisions applied). */
function clustersOfGroups(
  db: Db,
  cache: Map<number, Fingerprint | null>,
  ids: number[],
  groups: CandidateGroups,
  decisions: ReturnType<typeof readDecisions>,
  confirmer: CandidateConfirmer,
): MaterialisedCluster[] {
  return buildClustersFromGroups(
    readClusterImages(db, ids),
    (id) => groups.groupOf(id),
    (a, b) => groups.edge(a, b) ?? undefined,
    decisions,
    mergeDistanceOf(db, cache),
    confirmEdgeOf(db, cache, confirmer),
  );
}

/** The distance shown for a member a curator's merge brought in (no confirmed edge to the representative). */
function mergeDistanceOf(db: Db, cache: Map<number, Fingerprint | null>): (a: number, b: number) => number {
  return (a, b) => {
    const fa = fingerprintOf(db, cache, a);
    const fb = fingerprintOf(db, cache, b);
    return fa && fb ? fingerprintDistance(fa, fb).distance : 64;
  };
}

/** A member against a representative the candidate search did not pair it with: the content check alone decides. */
function confirmEdgeOf(db: Db, cache: Map<number, Fingerprint | null>, confirmer: CandidateConfirmer): ConfirmEdge {
  return (rep, member) => confirmedEdge(db, cache, confirmer, rep, member, true);
}

/** The pair's edge when the confirmer accepts it (`anyDistance`: without the hash gate), else null. */
function confirmedEdge(
  db: Db,
  cache: Map<number, Fingerprint | null>,
  confirmer: CandidateConfirmer,
  a: number,
  b: number,
  anyDistance: boolean,
): Edge | null {
  const fa = fingerprintOf(db, cache, a);
  const fb = fingerprintOf(db, cache, b);
  const match = fa && fb ? confirmer.confirm(a, fa, b, fb, anyDistance) : null;
  return match ? { a, b, distance: match.distance, fromA: match.fromA, fromB: match.fromB } : null;
}

function fingerprintOf(db: Db, cache: Map<number, Fingerprint | null>, id: number): Fingerprint | null {
  let fp = cache.get(id);
  if (fp === undefined) {
    fp = readFingerprint(db, id);
    cache.set(id, fp);
  }
  return fp;
}

function summarise(threshold: number, clusters: MaterialisedCluster[], upgraded: number): ReclusterResult {
  return {
    threshold,
    clusters: clusters.length,
    clusteredImages: clusters.reduce((n, c) => n + c.members.length, 0),
    upgradedFingerprints: upgraded,
  };
}
