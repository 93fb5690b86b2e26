// Group-aware, taxon-stratified train/val/test split: linked photos (cluster, observation) share one split.
import { allocateGroups } from './allocate-splits';
import { fnv1a } from './export-rows';
import { compareStrings, type SelectedRow } from './select-images';

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

export interface SplitAssignment {
  /** Index into SPLIT_NAMES per row. */
  splitOf: Uint8Array;
  /** Group id per row (rows that must stay together share it). */
  groupOf: Int32Array;
  groups: number;
  /** Linked groups per class (a group that mixes classes counts for its majority class). */
  groupsPerClass: Map<string, number>;
  /** Classes kept out of val and test because they hold fewer groups than --min-groups-for-eval, sorted. */
  trainOnlyClasses: string[];
}

/** Union-find over row indices with path halving; arrays rather than objects so 1M rows stay cheap. */
export class DisjointSets {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Rows linked by a duplicate cluster, an observation/specimen group, or an extra link (a near-duplicate
 * pair found by the leakage check) form one group.
 */
export function groupRows(
  rows: readonly SelectedRow[],
  extraLinks: readonly (readonly [number, number])[] = [],
): { groupOf: Int32Array; groups: number } {
  const sets = new DisjointSets(rows.length);
  const firstByCluster = new Map<number, number>();
  const firstByObservation = new Map<string, number>();
  rows.forEach((row, i) => {
    if (row.clusterId !== null) {
      const first = firstByCluster.get(row.clusterId);
      if (first === undefined) firstByCluster.set(row.clusterId, i);
      else sets.union(first, i);
    }
    if (row.observationGroup) {
      const first = firstByObservation.get(row.observationGroup);
      if (first === undefined) firstByObservation.set(row.observationGroup, i);
      else sets.union(first, i);
    }
  });
  for (const [a, b] of extraLinks) sets.union(a, b);
  const groupOf = new Int32Array(rows.length);
  const idOfRoot = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const root = sets.find(i);
    let id = idOfRoot.get(root);
    if (id === undefined) {
      id = idOfRoot.size;
      idOfRoot.set(root, id);
    }
    groupOf[i] = id;
  }
  return { groupOf, groups: idOfRoot.size };
}

export interface SplitOptions {
  /** Classes with fewer groups than this go to train only (no val/test images from them); 0 or 1 turns it off. */
  minGroupsForEval?: number;
}

/**
 * Groups are allocated by largest remainder across all classes (see allocateGroups): stratified by class as far
 * as counts allow, and the overall split within half a group per split of the asked shares. Ties follow a seeded
 * hash of each group's smallest sha256, so the result depends on the seed and content only, not on row order.
 * Per-group data lives in typed arrays: a 1M-row catalogue has close to 1M groups.
 */
export function assignSplits(
  rows: readonly SelectedRow[],
  ratios: readonly [number, number, number],
  seed: number,
  extraLinks: readonly (readonly [number, number])[] = [],
  options: SplitOptions = {},
): SplitAssignment {
  const { groupOf, groups } = groupRows(rows, extraLinks);
  const labelIds = new Map<string, number>();
  const rowLabel = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const label = rows[i]!.label;
    let id = labelIds.get(label);
    if (id === undefined) {
      id = labelIds.size;
      labelIds.set(label, id);
    }
    rowLabel[i] = id;
  }
  const size = new Int32Array(groups);
  const keyRow = new Int32Array(groups).fill(-1);
  const groupLabel = new Int32Array(groups);
  let mixed: Map<number, Map<number, number>> | undefined;
  for (let i = 0; i < rows.length; i++) {
    const g = groupOf[i]!;
    size[g]!++;
    const k = keyRow[g]!;
    if (k < 0) {
      keyRow[g] = i;
      groupLabel[g] = rowLabel[i]!;
    } else {
      // The smallest sha256 identifies the group by content, independent of row order and image ids.
      if (rows[i]!.sha256 < rows[k]!.sha256) keyRow[g] = i;
      if (rowLabel[i] !== groupLabel[g] || mixed?.has(g)) {
        mixed ??= new Map();
        let votes = mixed.get(g);
        if (!votes) {
          votes = new Map([[groupLabel[g]!, size[g]! - 1]]);
          mixed.set(g, votes);
        }
        votes.set(rowLabel[i]!, (votes.get(rowLabel[i]!) ?? 0) + 1);
      }
    }
  }
  const labelNames = [...labelIds.keys()];
  for (const [g, votes] of mixed ?? []) groupLabel[g] = majorityLabel(votes, labelNames);

  const order = new Uint32Array(groups);
  const seedText = `${seed}:`;
  for (let g = 0; g < groups; g++) order[g] = fnv1a(seedText + rows[keyRow[g]!]!.sha256);
  const byOrder = Array.from({ length: groups }, (_, g) => g).sort(
    (a, b) => order[a]! - order[b]! || compareStrings(rows[keyRow[a]!]!.sha256, rows[keyRow[b]!]!.sha256),
  );
  const rank = new Int32Array(groups);
  byOrder.forEach((g, i) => (rank[g] = i));

  const groupsPerLabel = new Int32Array(labelNames.length);
  for (let g = 0; g < groups; g++) groupsPerLabel[groupLabel[g]!]!++;
  const minGroups = options.minGroupsForEval ?? 0;
  const trainOnly = new Uint8Array(labelNames.length);
  for (let l = 0; l < labelNames.length; l++) if (groupsPerLabel[l]! < minGroups) trainOnly[l] = 1;

  const total = ratios[0] + ratios[1] + ratios[2];
  const shares = ratios.map((r) => r / total);
  const splitOfGroup = allocateGroups({ size, label: groupLabel, rank, labels: labelNames.length }, shares, trainOnly);
  const splitOf = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) splitOf[i] = splitOfGroup[groupOf[i]!]!;
  return {
    splitOf,
    groupOf,
    groups,
    groupsPerClass: new Map(labelNames.map((name, l) => [name, groupsPerLabel[l]!])),
    trainOnlyClasses: labelNames.filter((_, l) => trainOnly[l]).sort(compareStrings),
  };
}

/** The most frequent label of a group that mixes classes; ties go to the alphabetically first. */
function majorityLabel(votes: Map<number, number>, names: readonly string[]): number {
  let best = -1;
  let bestCount = -1;
  for (const [label, count] of votes) {
    if (count > bestCount || (count === bestCount && compareStrings(names[label]!, names[best]!) < 0)) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}
