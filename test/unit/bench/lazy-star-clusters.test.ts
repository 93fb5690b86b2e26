// The bench's lazy star clustering must give exactly the clusters of the product's path (every candidate pair
// confirmed, then buildClusters), with fewer confirmations, whatever the confirmations answer.
import { describe, expect, it } from 'vitest';
import { buildClusters, type Edge } from '../../../src-main/core/duplicates/cluster-graph';
import { seededRandom } from '../../fixtures/synthetic-photos';
import { lazyStarClusters, type LazyConfirm } from '../../bench/lazy-star-clusters';

/** Images in hidden groups (photos); a pair confirms when both are of one photo, most of the time, or rarely not. */
function library(seed: number, images: number) {
  const rnd = seededRandom(seed);
  const photo = Array.from({ length: images }, () => Math.floor(rnd() * (images / 6)));
  const answers = new Map<string, number | null>();
  const answer = (kind: string, a: number, b: number): number | null => {
    const key = `${kind}:${Math.min(a, b)}:${Math.max(a, b)}`;
    if (!answers.has(key)) {
      const same = photo[a] === photo[b];
      answers.set(key, (same ? rnd() < 0.8 : rnd() < 0.03) ? 1 + Math.floor(rnd() * 20) : null);
    }
    return answers.get(key)!;
  };
  const pairs: [number, number][] = [];
  for (let a = 0; a < images; a++)
    for (let b = a + 1; b < images; b++) if (rnd() < (photo[a] === photo[b] ? 0.7 : 0.02)) pairs.push([a, b]);
  return { pairs, gated: (a: number, b: number) => answer('gated', a, b), any: (a: number, b: number) => answer('any', a, b) };
}

describe('lazyStarClusters', () => {
  it.each([1, 2, 3, 4, 5])('equals buildClusters over every confirmed candidate (seed %i)', (seed) => {
    const images = 240;
    const lib = library(seed, images);
    let lazyCalls = 0;
    const counted: LazyConfirm = {
      gated: (a, b) => (lazyCalls++, lib.gated(a, b)),
      any: (a, b) => (lazyCalls++, lib.any(a, b)),
    };
    const lazy = lazyStarClusters(images, lib.pairs, counted);
    const edges: Edge[] = [];
    let eagerCalls = 0;
    for (const [a, b] of lib.pairs) {
      eagerCalls++;
      const d = lib.gated(a, b);
      if (d !== null) edges.push({ a, b, distance: d });
    }
    const eager = buildClusters(
      Array.from({ length: images }, (_, id) => ({ id, quality: 0, width: 1, height: 1 })),
      edges,
      { notDuplicate: [], merges: [], representatives: [] },
      () => 64,
      (rep, m) => {
        eagerCalls++;
        const d = lib.any(rep, m);
        return d === null ? null : { a: rep, b: m, distance: d };
      },
    );
    const shape = (cs: typeof eager) =>
      cs.map(({ representative, members, distances, weakestLink }) => ({ representative, members, distances, weakestLink }));
    expect(eager.length).toBeGreaterThan(10);
    expect(shape(lazy.clusters)).toEqual(shape(eager));
    expect(lazy.checks).toBe(lazyCalls);
    expect(lazyCalls).toBeLessThan(eagerCalls);
  });
});
