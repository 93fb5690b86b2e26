// Runs a hammingJoin on worker threads. A plan's chunks are independent (each reports only the pairs no
// earlier chunk finds), so each thread takes a share of them, largest expected cost first; the calling
// thread only merges the hits, so it is never blocked by the join.
import { availableParallelism } from 'node:os';
import { WorkerPool } from '../concurrency/worker-pool';
import { chunkCost, hammingJoin, joinOneChunk, planJoin, type HashColumns, type JoinPlan, type PairVisitor } from './hamming-join';
import { checkOwners, ImagePairCollector, mergePairKeys, type ImagePairs, type OwnedHashes } from './image-pair-join';
import { KeyedPairCollector, type EdgeKey, type KeyedHashes } from './keyed-pair-join';

/** Below this estimated cost (~50 ms of work) a join runs on the calling thread. */
const MIN_PARALLEL_COST = 5e7;

export interface JoinTask {
  left: HashColumns;
  right: HashColumns | null;
  threshold: number;
  plan: JoinPlan;
  /** The plan's chunks this task joins. */
  chunks: number[];
  /** When given, hits are reported per pair of owners (see image-pair-join.ts) in `pairKeys`. */
  owners?: { left: Int32Array; right: Int32Array; unordered: boolean };
  /** With `owners` (unordered, `right` given): only image pairs within the edge key (keyed-pair-join.ts). */
  key?: { left: HashColumns; right: HashColumns; key: EdgeKey };
}

export interface JoinHits {
  left: Uint32Array;
  right: Uint32Array;
  distance: Uint8Array;
  pairKeys?: Float64Array;
  /** Keyed joins: image pairs whose hits all failed the key, so every hash pair was tested. */
  anyPairChecks?: number;
}

/** The worker side: the task's chunks, hits collected into typed arrays (cheap to send back). */
export function runJoinTask(task: JoinTask): JoinHits {
  const none = { left: new Uint32Array(0), right: new Uint32Array(0), distance: new Uint8Array(0) };
  if (task.owners && task.key && task.right) {
    const side = (columns: HashColumns, owner: Int32Array, edges: HashColumns): KeyedHashes => ({ ...columns, owner, edges });
    const collector = new KeyedPairCollector(
      side(task.left, task.owners.left, task.key.left),
      side(task.right, task.owners.right, task.key.right),
      task.key.key,
    );
    // An empty plan: the sets are small enough to compare every pair.
    if (task.plan.chunks.length === 0) hammingJoin(task.left, task.right, task.threshold, collector.visit, task.plan);
    for (const c of task.chunks) joinOneChunk(task.left, task.right, task.threshold, task.plan.chunks, c, collector.visit);
    return { ...none, pairKeys: collector.keysOut(), anyPairChecks: collector.anyPairChecks };
  }
  if (task.owners) {
    const collector = new ImagePairCollector(task.owners.left, task.owners.right, task.owners.unordered);
    for (const c of task.chunks) joinOneChunk(task.left, task.right, task.threshold, task.plan.chunks, c, collector.visit);
    return { ...none, pairKeys: collector.keysOut() };
  }
  const left: number[] = [];
  const right: number[] = [];
  const distance: number[] = [];
  for (const c of task.chunks)
    joinOneChunk(task.left, task.right, task.threshold, task.plan.chunks, c, (i, j, d) => {
      left.push(i);
      right.push(j);
      distance.push(d);
    });
  return { left: Uint32Array.from(left), right: Uint32Array.from(right), distance: Uint8Array.from(distance) };
}

/** Chunk indexes shared out over `threads` by expected cost, largest first, each to the least loaded thread. */
export function shareChunks(costs: number[], threads: number): number[][] {
  const shares = Array.from({ length: Math.min(threads, costs.filter((c) => c > 0).length) }, () => ({ chunks: [] as number[], load: 0 }));
  const order = costs.map((cost, c) => ({ cost, c })).filter((x) => x.cost > 0);
  order.sort((x, y) => y.cost - x.cost || x.c - y.c);
  for (const { cost, c } of order) {
    const lightest = shares.reduce((best, s) => (s.load < best.load ? s : best));
    lightest.chunks.push(c);
    lightest.load += cost;
  }
  return shares.map((s) => s.chunks.sort((a, b) => a - b));
}

/** A column sent to a worker is copied whole, buffer and all: send views over larger buffers as copies. */
function compact(columns: HashColumns): HashColumns {
  const tight = (a: Uint32Array) => (a.byteLength === a.buffer.byteLength ? a : a.slice());
  return { hi: tight(columns.hi), lo: tight(columns.lo) };
}

function tightInt(a: Int32Array): Int32Array {
  return a.byteLength === a.buffer.byteLength ? a : a.slice();
}

function tightBytes(a: Uint8Array): Uint8Array {
  return a.byteLength === a.buffer.byteLength ? a : a.slice();
}

/** Worker threads for Hamming joins, started on first use and kept until `close`. */
export class JoinWorkers {
  private pool: WorkerPool<JoinTask, JoinHits> | null = null;

  constructor(
    private readonly threads = availableParallelism(),
    /** Tests lower this to send small joins to the workers too. */
    private readonly minParallelCost = MIN_PARALLEL_COST,
  ) {}

  /** The same pairs, each once, as hammingJoin(left, right, threshold, visit). */
  async join(left: HashColumns, right: HashColumns | null, threshold: number, visit: PairVisitor): Promise<JoinPlan> {
    const self = right === null;
    const plan = planJoin(left.hi.length, (right ?? left).hi.length, threshold, self);
    const costs = plan.chunks.map((chunk) => chunkCost(chunk, left.hi.length, (right ?? left).hi.length, self));
    const shares = shareChunks(costs, this.threads);
    if (shares.length < 2 || plan.estimatedCost < this.minParallelCost) return hammingJoin(left, right, threshold, visit, plan);
    this.pool ??= new WorkerPool<JoinTask, JoinHits>('hamming-worker', this.threads);
    const task = { left: compact(left), right: right && compact(right), threshold, plan };
    const results = await Promise.all(shares.map((chunks) => this.pool!.run({ ...task, chunks })));
    for (const hits of results) for (let k = 0; k < hits.left.length; k++) visit(hits.left[k]!, hits.right[k]!, hits.distance[k]!);
    return plan;
  }

  /**
   * Every pair of owners with some hash of one within `threshold` of some hash of the other, once, with the
   * smallest such distance; an owner is never paired with itself. `right` null joins `left` with itself.
   * `unordered`: (a, b) and (b, a) are one pair, reported as (min, max).
   */
  async joinImagePairs(
    left: OwnedHashes,
    right: OwnedHashes | null,
    threshold: number,
    unordered: boolean,
  ): Promise<ImagePairs & { plan: JoinPlan }> {
    return this.runImagePairs(left, right, threshold, unordered, undefined);
  }

  /**
   * The pairs joinImagePairs(left, right, threshold, true) gives that are within the edge key `key` too (as
   * edgeKeyAgrees: some hash pair of the two owners, either way round, within it), each owner's hashes contiguous
   * and ascending by owner on both sides. The key is tested on the joining threads, so pairs failing it are never
   * sent back. `anyPairChecks`: pairs whose hits all failed the key, tested on every hash pair.
   */
  async joinKeyedImagePairs(
    left: KeyedHashes,
    right: KeyedHashes,
    threshold: number,
    key: EdgeKey,
  ): Promise<ImagePairs & { plan: JoinPlan; anyPairChecks: number }> {
    const edges = { left: compact(left.edges), right: compact(right.edges), key: { ...key, allowance: tightBytes(key.allowance) } };
    return this.runImagePairs(left, right, threshold, true, edges);
  }

  private async runImagePairs(
    left: OwnedHashes,
    right: OwnedHashes | null,
    threshold: number,
    unordered: boolean,
    key: JoinTask['key'],
  ): Promise<ImagePairs & { plan: JoinPlan; anyPairChecks: number }> {
    checkOwners(left.owner, 'left');
    if (right) checkOwners(right.owner, 'right');
    const self = right === null;
    const other = right ?? left;
    const plan = planJoin(left.hi.length, other.hi.length, threshold, self);
    const owners = { left: tightInt(left.owner), right: tightInt(other.owner), unordered };
    const columns = { left: compact(left), right: right && compact(right) };
    const costs = plan.chunks.map((chunk) => chunkCost(chunk, left.hi.length, other.hi.length, self));
    const shares = shareChunks(costs, this.threads);
    const all = plan.chunks.length === 0 ? [] : plan.chunks.map((_, c) => c);
    const task: JoinTask = { left: columns.left, right: columns.right, threshold, plan, chunks: all, owners, key };
    const checks = (results: JoinHits[]) => results.reduce((n, r) => n + (r.anyPairChecks ?? 0), 0);
    if (plan.chunks.length === 0 && !key) {
      const collector = new ImagePairCollector(owners.left, owners.right, unordered);
      hammingJoin(left, right, threshold, collector.visit, plan);
      return { ...mergePairKeys([collector.keysOut()]), plan, anyPairChecks: 0 };
    }
    if (plan.chunks.length === 0 || shares.length < 2 || plan.estimatedCost < this.minParallelCost) {
      const result = runJoinTask(task);
      return { ...mergePairKeys([result.pairKeys!]), plan, anyPairChecks: checks([result]) };
    }
    this.pool ??= new WorkerPool<JoinTask, JoinHits>('hamming-worker', this.threads);
    const results = await Promise.all(shares.map((chunks) => this.pool!.run({ ...task, chunks })));
    return { ...mergePairKeys(results.map((r) => r.pairKeys!)), plan, anyPairChecks: checks(results) };
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}
