// Group-aware, taxon-stratified train/val/test split: linked photos (cluster, observation) share one split.
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

interface GroupInfo {
  id: number;
  size: number;
  label: string;
  /** The smallest sha256 in the group: a content-based identity, independent of row order and image ids. */
  key: string;
  order: number;
}

/**
 * Within each class, groups are visited largest first (ties in a seeded pseudo-random order) and each goes
 * to the split furthest below its target count. Splits with a 0% share never receive anything.
 */
export function assignSplits(
  rows: readonly SelectedRow[],
  ratios: readonly [number, number, number],
  seed: number,
  extraLinks: readonly (readonly [number, number])[] = [],
): SplitAssignment {
  const { groupOf, groups } = groupRows(rows, extraLinks);
  const infos: GroupInfo[] = new Array<GroupInfo>(groups);
  const labelVotes: Map<string, number>[] = new Array<Map<string, number>>(groups);
  for (let i = 0; i < rows.length; i++) {
    const g = groupOf[i]!;
    const row = rows[i]!;
    let info = infos[g];
    if (!info) {
      info = { id: g, size: 0, label: row.label, key: row.sha256, order: 0 };
      infos[g] = info;
      labelVotes[g] = new Map();
    }
    info.size++;
    if (row.sha256 < info.key) info.key = row.sha256;
    const votes = labelVotes[g]!;
    votes.set(row.label, (votes.get(row.label) ?? 0) + 1);
  }
  const seedText = `${seed}:`;
  const byLabel = new Map<string, GroupInfo[]>();
  for (let g = 0; g < groups; g++) {
    const info = infos[g]!;
    const votes = labelVotes[g]!;
    if (votes.size > 1) info.label = majorityLabel(votes);
    info.order = fnv1a(seedText + info.key);
    const list = byLabel.get(info.label);
    if (list) list.push(info);
    else byLabel.set(info.label, [info]);
  }

  const splitOfGroup = new Uint8Array(groups);
  const total = ratios[0] + ratios[1] + ratios[2];
  const shares = ratios.map((r) => r / total);
  for (const list of byLabel.values()) {
    list.sort((a, b) => b.size - a.size || a.order - b.order || compareStrings(a.key, b.key));
    const classSize = list.reduce((n, g) => n + g.size, 0);
    const counts = [0, 0, 0];
    for (const group of list) {
      let best = -1;
      let bestDeficit = -Infinity;
      for (let s = 0; s < 3; s++) {
        if (shares[s]! <= 0) continue;
        const deficit = shares[s]! * classSize - counts[s]!;
        if (deficit > bestDeficit + 1e-9) {
          best = s;
          bestDeficit = deficit;
        }
      }
      splitOfGroup[group.id] = best;
      counts[best]! += group.size;
    }
  }
  const splitOf = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) splitOf[i] = splitOfGroup[groupOf[i]!]!;
  return { splitOf, groupOf, groups };
}

function majorityLabel(votes: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [label, count] of votes) {
    if (count > bestCount || (count === bestCount && label < best)) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}
