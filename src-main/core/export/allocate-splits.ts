// Global largest-remainder allocation of indivisible groups to train/val/test: every class gets the whole groups
// its quota holds, and the fractions left over are pooled across classes so that the overall split meets the
// asked shares even when most classes hold one to three groups (long-tail fungal catalogues).

/** Per-group inputs; `rank` is a seeded, content-derived tie-break (lower first), unique per group. */
export interface GroupTable {
  size: Int32Array;
  label: Int32Array;
  rank: Int32Array;
  labels: number;
}

/** Whole groups whose size exceeds a split's remaining class quota by less than this still fit (float noise). */
const FIT_SLACK = 1e-9;

/**
 * Returns the split index per group. `shares` sum to 1; a split with share 0 receives nothing. Classes flagged in
 * `trainOnly` go wholly to the split with the largest share (train), and still count toward the overall shares.
 *
 * 1. Per class, groups largest first (ties by rank) go to the split with the largest remaining class quota
 *    they fit in whole: this is the floor part of the per-class quota.
 * 2. The groups that fit nowhere are the remainders. Every (group, split) pair is ranked by the class's remaining
 *    quota in that split (largest remainder first); a pair is taken when the split still has room overall (at
 *    least half the group) and the class has not yet had a remainder placed in that split.
 * 3. Whatever is still unplaced goes to the split furthest below its overall target.
 */
export function allocateGroups(table: GroupTable, shares: readonly number[], trainOnly: Uint8Array): Uint8Array {
  const groups = table.size.length;
  const splits = shares.length;
  const splitOfGroup = new Uint8Array(groups);
  let total = 0;
  for (let g = 0; g < groups; g++) total += table.size[g]!;
  const target = shares.map((s) => s * total);
  const placed = shares.map(() => 0);
  const fallbackSplit = shares.indexOf(Math.max(...shares));

  const groupsOfLabel: number[][] = Array.from({ length: table.labels }, () => []);
  for (let g = 0; g < groups; g++) groupsOfLabel[table.label[g]!]!.push(g);
  const bySizeThenRank = (a: number, b: number) => table.size[b]! - table.size[a]! || table.rank[a]! - table.rank[b]!;

  // Remaining class quota per (label, split) after the floor pass.
  const quotaLeft = new Float64Array(table.labels * splits);
  const leftover: number[] = [];
  groupsOfLabel.forEach((list, label) => {
    list.sort(bySizeThenRank);
    if (trainOnly[label]) {
      for (const g of list) place(g, fallbackSplit);
      return;
    }
    let classSize = 0;
    for (const g of list) classSize += table.size[g]!;
    for (let s = 0; s < splits; s++) quotaLeft[label * splits + s] = shares[s]! * classSize;
    for (const g of list) {
      let best = -1;
      for (let s = 0; s < splits; s++) {
        const left = quotaLeft[label * splits + s]!;
        if (shares[s]! > 0 && left + FIT_SLACK >= table.size[g]! && (best < 0 || left > quotaLeft[label * splits + best]!)) best = s;
      }
      if (best < 0) leftover.push(g);
      else {
        quotaLeft[label * splits + best]! -= table.size[g]!;
        place(g, best);
      }
    }
  });

  const pairs: { g: number; s: number; remainder: number }[] = [];
  for (const g of leftover)
    for (let s = 0; s < splits; s++) if (shares[s]! > 0) pairs.push({ g, s, remainder: quotaLeft[table.label[g]! * splits + s]! });
  pairs.sort((a, b) => b.remainder - a.remainder || bySizeThenRank(a.g, b.g) || a.s - b.s);
  const done = new Uint8Array(groups);
  const remainderUsed = new Uint8Array(table.labels * splits);
  for (const { g, s } of pairs) {
    const slot = table.label[g]! * splits + s;
    if (done[g] || remainderUsed[slot] || target[s]! - placed[s]! < table.size[g]! / 2) continue;
    remainderUsed[slot] = 1;
    done[g] = 1;
    place(g, s);
  }
  for (const g of leftover.filter((x) => !done[x]).sort(bySizeThenRank)) {
    let best = -1;
    for (let s = 0; s < splits; s++) if (shares[s]! > 0 && (best < 0 || target[s]! - placed[s]! > target[best]! - placed[best]!)) best = s;
    place(g, best);
  }
  return splitOfGroup;

  function place(g: number, s: number): void {
    splitOfGroup[g] = s;
    placed[s]! += table.size[g]!;
  }
}
