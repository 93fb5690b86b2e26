// Rebuilt clusters keep their ids: the cluster they share their representative with, else the representative's old
// cluster, else the one most members came from, each old id once; images that were in no cluster get a new id.
import { describe, expect, it } from 'vitest';
import type { BuiltCluster } from '../../../../src-main/core/duplicates/cluster-graph';
import { keptClusterIds } from '../../../../src-main/core/duplicates/duplicate-store';

const star = (representative: number, members: number[]): BuiltCluster => ({
  representative,
  members,
  weakestLink: 0,
  distances: members.map(() => 0),
  matches: members.map(() => null),
  linkedVia: members.map(() => null),
});

describe('keptClusterIds', () => {
  it('keeps the id through a new representative and a member separated out', () => {
    // Cluster 7 held 1, 2, 3 around 1; now 2 is the representative and 1 has left.
    const old = new Map([
      [1, 7],
      [2, 7],
      [3, 7],
    ]);
    expect(
      keptClusterIds(
        [star(2, [2, 3])],
        (id) => old.get(id),
        (id) => id === 1,
      ),
    ).toEqual([7]);
  });

  it('gives a split cluster’s id to the part with its representative, the other part the next best or a new id', () => {
    const old = new Map([
      [1, 3],
      [2, 3],
      [3, 3],
      [4, 3],
      [5, 9],
      [6, 9],
    ]);
    const oldRepresentatives = new Set([1, 6]);
    // The star around 1, cluster 3's representative, keeps 3 though it comes second; the part around 4 has no old
    // id left, so it is new; 5 and 6 stay 9.
    expect(
      keptClusterIds(
        [star(4, [4, 2]), star(1, [1, 3]), star(6, [5, 6])],
        (id) => old.get(id),
        (id) => oldRepresentatives.has(id),
      ),
    ).toEqual([null, 3, 9]);
  });

  it('lets a merged cluster keep the id of its representative’s side, and falls back on the majority', () => {
    const old = new Map([
      [1, 4],
      [2, 4],
      [3, 8],
      [4, 8],
      [5, 8],
    ]);
    const was = (id: number) => id === 1 || id === 3;
    expect(keptClusterIds([star(1, [1, 2, 3, 4, 5])], (id) => old.get(id), was)).toEqual([4]);
    // A representative new to every cluster: the id most members came from (8, three of five).
    expect(keptClusterIds([star(10, [10, 1, 3, 4, 5])], (id) => old.get(id), was)).toEqual([8]);
    expect(keptClusterIds([star(10, [10, 11])], (id) => old.get(id), was)).toEqual([null]);
  });
});
