// Makes a split leak-free: confirmed near-duplicate pairs across splits (e.g. copies no cluster joined) have
// their groups joined and moved into one split; hash-near pairs the confirmation turns down stay where they are.
// Only moved rows are re-checked, since every other pair was already checked in the first, full pass.
import type { JoinWorkers } from '../duplicates/parallel-join';
import { SporeprintError } from '../errors';
import type { CandidateGates } from '../duplicates/content-only-gate';
import { findCrossSplitLeaks, leaksInvolving, type LeakConfirmer, type LeakPair, type RowHashes } from './leakage-report';
import { DisjointSets, SPLIT_NAMES, type SplitAssignment } from './split-groups';

/** Each round only moves groups; this bounds the rounds (in practice one or two suffice). */
const MAX_ROUNDS = 16;

export interface RepairedSplit {
  splitOf: Uint8Array;
  /** Pairs found across splits before the repair, over all rounds. */
  pairsJoined: number;
  rowsMoved: number;
}

export async function repairLeaks(
  hashes: RowHashes,
  split: SplitAssignment,
  threshold: number,
  workers: JoinWorkers,
  confirm: LeakConfirmer,
  gates?: CandidateGates,
): Promise<RepairedSplit> {
  const splitOf = split.splitOf.slice();
  const rowsOfGroup = groupMembers(split.groupOf, split.groups);
  const components = new DisjointSets(split.groups);
  const groupsOf = new Map<number, number[]>();
  let leaks = (await findCrossSplitLeaks(hashes, splitOf, threshold, workers, confirm, gates)).pairs;
  let pairsJoined = 0;
  let rowsMoved = 0;
  for (let round = 0; leaks.length > 0; round++) {
    if (round === MAX_ROUNDS) {
      throw new SporeprintError(
        'EXPORT_FAILED',
        `near-duplicates still straddle splits after ${MAX_ROUNDS} repair rounds (${leaks.length} pairs)`,
      );
    }
    pairsJoined += leaks.length;
    const moved = joinAndMove(leaks, split.groupOf, splitOf, rowsOfGroup, components, groupsOf);
    rowsMoved += moved.length;
    leaks = await leaksInvolving(hashes, moved, splitOf, threshold, workers, confirm, gates);
  }
  return { splitOf, pairsJoined, rowsMoved };
}

/** Rows of each group, as CSR over row indices. */
function groupMembers(groupOf: Int32Array, groups: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < groupOf.length; i++) start[groupOf[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const rows = new Int32Array(groupOf.length);
  for (let i = 0; i < groupOf.length; i++) rows[fill[groupOf[i]!]!++] = i;
  return { start, rows };
}

/**
 * Joins the groups of every leaking pair into components and moves each touched component wholly into the
 * split that already holds most of its rows (ties: the earlier split). Returns the rows that moved.
 */
function joinAndMove(
  leaks: readonly LeakPair[],
  groupOf: Int32Array,
  splitOf: Uint8Array,
  rowsOfGroup: { start: Int32Array; rows: Int32Array },
  components: DisjointSets,
  groupsOf: Map<number, number[]>,
): number[] {
  const membersOf = (root: number) => groupsOf.get(root) ?? [root];
  for (const { a, b } of leaks) {
    const ra = components.find(groupOf[a]!);
    const rb = components.find(groupOf[b]!);
    if (ra === rb) continue;
    // The smaller list joins the larger in place: copying both (as before) made a component that grows one
    // pair at a time quadratic, and real fingerprints link tens of thousands of groups into one.
    const inA = membersOf(ra);
    const inB = membersOf(rb);
    const [joined, small] = inA.length >= inB.length ? [inA, inB] : [inB, inA];
    for (const g of small) joined.push(g);
    components.union(ra, rb);
    const root = components.find(ra);
    groupsOf.delete(ra);
    groupsOf.delete(rb);
    groupsOf.set(root, joined);
  }
  const touched = new Set(leaks.flatMap(({ a, b }) => [components.find(groupOf[a]!), components.find(groupOf[b]!)]));
  const moved: number[] = [];
  for (const root of [...touched].sort((x, y) => x - y)) {
    const rows: number[] = [];
    for (const g of membersOf(root))
      for (let p = rowsOfGroup.start[g]!; p < rowsOfGroup.start[g + 1]!; p++) rows.push(rowsOfGroup.rows[p]!);
    const counts = SPLIT_NAMES.map(() => 0);
    for (const r of rows) counts[splitOf[r]!]!++;
    const destination = counts.indexOf(Math.max(...counts));
    for (const r of rows) {
      if (splitOf[r] === destination) continue;
      splitOf[r] = destination;
      moved.push(r);
    }
  }
  return moved;
}
