// Cluster building: "not a duplicate" removes one pair's link, weakest link, representative choice, merges.
import { describe, expect, it } from 'vitest';
import { buildClusters, pickRepresentative, type ClusterImage } from '../../../../src-main/core/duplicates/cluster-graph';

const img = (id: number, quality = 50, width = 100, height = 100): ClusterImage => ({ id, quality, width, height });
const none = { notDuplicate: [] as [number, number][], merges: [] as [number, number][], representatives: [] as number[] };

describe('buildClusters', () => {
  it('joins lightest edges first and reports the weakest link', () => {
    const clusters = buildClusters(
      [img(1), img(2), img(3), img(4)],
      [
        { a: 2, b: 3, distance: 8 },
        { a: 1, b: 2, distance: 2 },
      ],
      none,
      () => 0,
    );
    expect(clusters).toEqual([{ representative: 1, members: [1, 2, 3], weakestLink: 8 }]);
  });

  it('separates a not-duplicate pair only: an image stays while another member still links it', () => {
    const images = [img(1), img(2), img(3)];
    const edges = [
      { a: 1, b: 2, distance: 2 },
      { a: 2, b: 3, distance: 4 },
      { a: 1, b: 3, distance: 3 },
    ];
    // 3 still matches 2, so it stays; the decision removed only the 1-3 link.
    expect(buildClusters(images, edges, { ...none, notDuplicate: [[1, 3]] }, () => 0).map((c) => c.members)).toEqual([[1, 2, 3]]);
    // Once 3's only remaining link is gone it leaves, and 1 and 2 stay together (the pair decision touched no other pair).
    const alone = buildClusters(
      images,
      edges,
      {
        ...none,
        notDuplicate: [
          [1, 3],
          [3, 2],
        ],
      },
      () => 0,
    );
    expect(alone.map((c) => c.members)).toEqual([[1, 2]]);
  });

  it('keeps the representative in its other pairings after one not-duplicate decision', () => {
    const images = [img(1, 90), img(2), img(3), img(4)];
    const edges = [
      { a: 1, b: 2, distance: 1 },
      { a: 1, b: 3, distance: 2 },
      { a: 1, b: 4, distance: 2 },
    ];
    const clusters = buildClusters(images, edges, { ...none, notDuplicate: [[1, 4]] }, () => 0);
    expect(clusters).toEqual([{ representative: 1, members: [1, 2, 3], weakestLink: 2 }]);
  });

  it('lets a merge decision join clusters beyond the threshold and override not-duplicate', () => {
    const clusters = buildClusters(
      [img(1), img(2), img(3)],
      [{ a: 1, b: 2, distance: 2 }],
      { ...none, merges: [[2, 3]], notDuplicate: [[1, 3]] },
      () => 30,
    );
    expect(clusters).toEqual([{ representative: 1, members: [1, 2, 3], weakestLink: 30 }]);
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
