// Cluster building: no chaining (every member matches its representative directly), no chaining through a
// "not a duplicate" pair, weakest link, representative choice, merges, explanations carried to members.
import { describe, expect, it } from 'vitest';
import { buildClusters, pickRepresentative, type ClusterImage } from '../../../../src-main/core/duplicates/cluster-graph';

const img = (id: number, quality = 50, width = 100, height = 100): ClusterImage => ({ id, quality, width, height });
const none = { notDuplicate: [] as [number, number][], merges: [] as [number, number][], representatives: [] as number[] };

describe('buildClusters', () => {
  it('does not chain: a member joins only the representative it matches directly', () => {
    const clusters = buildClusters(
      [img(1, 90), img(2), img(3), img(4)],
      [
        { a: 2, b: 3, distance: 8 },
        { a: 1, b: 2, distance: 2 },
      ],
      none,
      () => 0,
    );
    // 1~2 and 2~3 but not 1~3: 3 stays out of 1's cluster (it would have chained in through 2 before).
    expect(clusters.map((c) => [c.representative, c.members, c.weakestLink])).toEqual([[1, [1, 2], 2]]);
  });

  it('bounds every member distance by its own match to the representative and reports the largest', () => {
    const clusters = buildClusters(
      [img(1, 90), img(2), img(3), img(4)],
      [
        { a: 1, b: 2, distance: 2 },
        { a: 1, b: 3, distance: 9 },
        { a: 1, b: 4, distance: 5 },
        { a: 3, b: 4, distance: 1 },
      ],
      none,
      () => 0,
    );
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.distances).toEqual([0, 2, 9, 5]);
    expect(clusters[0]!.weakestLink).toBe(9);
  });

  it('splits a long chain into stars around the best remaining image', () => {
    // 1~2~3~4~5~6 in a line (quality falling): without chaining that is {1,2}, {3,4}, {5,6}.
    const images = [1, 2, 3, 4, 5, 6].map((id) => img(id, 100 - id));
    const edges = [1, 2, 3, 4, 5].map((id) => ({ a: id, b: id + 1, distance: 3 }));
    expect(buildClusters(images, edges, none, () => 0).map((c) => c.members)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('keeps photos of two taxa apart when only a third photo links them', () => {
    // 10 (taxon A) ~ 11 (taxon A's crop) ~ 12 (taxon B): 12 matched only the crop, never 10 itself.
    const clusters = buildClusters(
      [img(10, 90), img(11, 50), img(12, 80)],
      [
        { a: 10, b: 11, distance: 4 },
        { a: 11, b: 12, distance: 9 },
      ],
      none,
      () => 0,
    );
    expect(clusters.map((c) => c.members)).toEqual([[10, 11]]);
  });

  it("carries each member's explanation, seen from the member", () => {
    const why = (transform: string) => ({ transform, distance: 3, measure: 'block correlation', agreement: 0.9 });
    const clusters = buildClusters(
      [img(1, 90), img(2)],
      [{ a: 1, b: 2, distance: 3, fromA: why('crop 64% (at 10%, 10%)'), fromB: why('scale 0.80x') }],
      none,
      () => 0,
    );
    expect(clusters[0]!.matches).toEqual([null, why('scale 0.80x')]);
  });

  it('refuses a join that would put a not-duplicate pair into one cluster', () => {
    const images = [img(1), img(2), img(3)];
    const edges = [
      { a: 1, b: 2, distance: 2 },
      { a: 2, b: 3, distance: 4 },
    ];
    const clusters = buildClusters(images, edges, { ...none, notDuplicate: [[1, 3]] }, () => 0);
    expect(clusters.map((c) => c.members)).toEqual([[1, 2]]);
  });

  it('keeps a member parted from the representative while another member still links it, and says through whom', () => {
    // 1 (rep), 2 and 3 all match each other; the curator says 1 and 3 are different: 3 stays, linked via 2.
    const images = [img(1, 90), img(2, 60), img(3, 50)];
    const edges = [
      { a: 1, b: 2, distance: 2 },
      { a: 1, b: 3, distance: 4 },
      { a: 2, b: 3, distance: 1 },
    ];
    const [cluster] = buildClusters(images, edges, { ...none, notDuplicate: [[1, 3]] }, () => 0);
    expect(cluster!.members).toEqual([1, 2, 3]);
    expect(cluster!.linkedVia).toEqual([null, null, 2]);
    expect(cluster!.distances).toEqual([0, 2, 4]);
  });

  it('lets a parted member go once no remaining member links it', () => {
    const images = [img(1, 90), img(2, 60), img(3, 50)];
    const edges = [
      { a: 1, b: 2, distance: 2 },
      { a: 1, b: 3, distance: 4 },
      { a: 2, b: 3, distance: 1 },
    ];
    const parted = buildClusters(
      images,
      edges,
      {
        ...none,
        notDuplicate: [
          [1, 3],
          [2, 3],
        ],
      },
      () => 0,
    );
    expect(parted.map((c) => c.members)).toEqual([[1, 2]]);
    // Without a confirmed 2~3 match there is nothing to link it either.
    const unlinked = buildClusters(images, edges.slice(0, 2), { ...none, notDuplicate: [[1, 3]] }, () => 0);
    expect(unlinked.map((c) => c.members)).toEqual([[1, 2]]);
  });

  it('links through the closest member and asks the verifier for a pair the search did not pair', () => {
    const images = [img(1, 90), img(2, 60), img(3, 55), img(4, 50)];
    const edges = [
      { a: 1, b: 2, distance: 2 },
      { a: 1, b: 3, distance: 2 },
      { a: 1, b: 4, distance: 5 },
      { a: 2, b: 4, distance: 7 },
    ];
    const asked: string[] = [];
    const confirm = (a: number, b: number) => {
      asked.push(`${a}~${b}`);
      return a === 3 && b === 4 ? { a, b, distance: 3 } : null;
    };
    const [cluster] = buildClusters(images, edges, { ...none, notDuplicate: [[1, 4]] }, () => 0, confirm);
    expect(cluster!.members).toEqual([1, 2, 3, 4]);
    expect(cluster!.linkedVia).toEqual([null, null, null, 3]);
    expect(asked).toContain('3~4');
  });

  it('never links an image that had no confirmed match to the representative (no chaining)', () => {
    // 3 matches only 2; a "not a duplicate" between 1 and 3 must not pull 3 in through 2.
    const images = [img(1, 90), img(2, 60), img(3, 50)];
    const edges = [
      { a: 1, b: 2, distance: 2 },
      { a: 2, b: 3, distance: 1 },
    ];
    const clusters = buildClusters(images, edges, { ...none, notDuplicate: [[1, 3]] }, () => 0);
    expect(clusters.map((c) => c.members)).toEqual([[1, 2]]);
  });

  it('lets a merge decision join clusters beyond the threshold and override not-duplicate', () => {
    const clusters = buildClusters(
      [img(1), img(2), img(3)],
      [{ a: 1, b: 2, distance: 2 }],
      { ...none, merges: [[2, 3]], notDuplicate: [[1, 3]] },
      () => 30,
    );
    expect(clusters.map((c) => [c.representative, c.members, c.weakestLink, c.distances])).toEqual([[1, [1, 2, 3], 30, [0, 2, 30]]]);
  });

  it('drops singletons and edges to unknown images', () => {
    expect(buildClusters([img(1), img(2)], [{ a: 1, b: 9, distance: 0 }], none, () => 0)).toEqual([]);
  });
});

describe('pickRepresentative', () => {
  it('prefers quality, then resolution, then the oldest image', () => {
    expect(pickRepresentative([img(1, 50), img(2, 80), img(3, 70)])).toBe(2);
    expect(pickRepresentative([img(1, 80, 100, 100), img(2, 80, 200, 100)])).toBe(2);
    expect(pickRepresentative([img(5, 80), img(3, 80)])).toBe(3);
  });

  it('honours the latest pinned choice over quality', () => {
    expect(
      pickRepresentative(
        [img(1, 90), img(2, 10), img(3, 20)],
        new Map([
          [3, 0],
          [2, 1],
        ]),
      ),
    ).toBe(2);
  });
});
