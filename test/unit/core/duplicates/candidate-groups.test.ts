// Re-clustering confirms candidate pairs lazily (CandidateGroups + buildClustersFromGroups): the clusters must be
// exactly those of confirming every candidate pair first and calling buildClusters (the path it replaced), with
// the curator's decisions, whatever the confirmations answer, and with fewer confirmations.
import { describe, expect, it } from 'vitest';
import type { MatchExplanation } from '../../../../src-shared/model';
import { CandidateGroups } from '../../../../src-main/core/duplicates/candidate-groups';
import {
  buildClusters,
  buildClustersFromGroups,
  type ClusterDecisions,
  type Edge,
} from '../../../../src-main/core/duplicates/cluster-graph';
import { seededRandom } from '../../../fixtures/synthetic-photos';

const why = (kind: string, a: number, b: number): MatchExplanation => ({
  transform: `${kind} ${a}->${b}`,
  distance: 0,
  measure: kind,
  agreement: 1,
});

/**
 * Images in hidden groups (photos). A candidate pair confirms mostly within a photo and rarely across; a pair that is
 * not a candidate is refused by the gated confirmation (as confirmPair's gates refuse what the join did not report);
 * the content check alone (`any`) answers every pair. Answers are fixed per pair, so both paths see the same world.
 */
function library(seed: number, images: number) {
  const rnd = seededRandom(seed);
  const photo = Array.from({ length: images }, () => Math.floor(rnd() * (images / 6)));
  const pairs: [number, number][] = [];
  const candidate = new Set<string>();
  for (let a = 0; a < images; a++)
    for (let b = a + 1; b < images; b++)
      if (rnd() < (photo[a] === photo[b] ? 0.7 : 0.02)) {
        // The join hands pairs over in either order.
        pairs.push(rnd() < 0.5 ? [a, b] : [b, a]);
        candidate.add(`${a}:${b}`);
      }
  const answers = new Map<string, number | null>();
  const answer = (kind: 'gated' | 'any', a: number, b: number): Edge | null => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = `${kind}:${x}:${y}`;
    if (!answers.has(key)) {
      const same = photo[x] === photo[y];
      const refused = kind === 'gated' && !candidate.has(`${x}:${y}`);
      answers.set(key, !refused && (same ? rnd() < 0.8 : rnd() < 0.03) ? 1 + Math.floor(rnd() * 20) : null);
    }
    const d = answers.get(key)!;
    return d === null ? null : { a: x, b: y, distance: d, fromA: why(kind, x, y), fromB: why(kind, y, x) };
  };
  const pick = () => Math.floor(rnd() * images);
  const samePhotoPairs = pairs.filter(([a, b]) => photo[a] === photo[b]);
  const decisions: ClusterDecisions = {
    notDuplicate: samePhotoPairs.filter(() => rnd() < 0.05).map(([a, b]) => [a, b]),
    merges: Array.from({ length: 6 }, () => [pick(), pick()] as [number, number]).filter(([a, b]) => a !== b),
    representatives: Array.from({ length: 5 }, pick),
  };
  // Ties in quality and size make the id decide, as in a library of copies.
  const clusterImages = Array.from({ length: images }, (_, id) => ({
    id,
    quality: Math.floor(rnd() * 4),
    width: 1 + Math.floor(rnd() * 2),
    height: 1,
  }));
  const isCandidate = (a: number, b: number) => candidate.has(a < b ? `${a}:${b}` : `${b}:${a}`);
  return {
    pairs,
    isCandidate,
    decisions,
    clusterImages,
    gated: (a: number, b: number) => answer('gated', a, b),
    any: (a: number, b: number) => answer('any', a, b),
  };
}

describe('CandidateGroups + buildClustersFromGroups', () => {
  it.each([1, 2, 3, 4, 5, 6])('equals confirming every candidate then buildClusters (seed %i)', (seed) => {
    const images = 240;
    const lib = library(seed, images);
    const mergeDistance = (a: number, b: number) => 100 + ((a * 7 + b * 13) % 17);

    let eagerChecks = 0;
    const edges: Edge[] = [];
    for (const [a, b] of lib.pairs) {
      eagerChecks++;
      const e = lib.gated(a, b);
      if (e) edges.push(e);
    }
    const involved = new Set<number>();
    for (const e of edges) involved.add(e.a).add(e.b);
    for (const [a, b] of lib.decisions.merges) involved.add(a).add(b);
    const eager = buildClusters(
      lib.clusterImages.filter((img) => involved.has(img.id)),
      edges,
      lib.decisions,
      mergeDistance,
      (rep, m) => (eagerChecks++, lib.any(rep, m)),
    );

    // Content checks: a gated confirmation of a pair that is not a candidate is refused at its gate, for free.
    let lazyChecks = 0;
    const groups = new CandidateGroups((a, b) => {
      if (lib.isCandidate(a, b)) lazyChecks++;
      return lib.gated(a, b);
    });
    for (const [a, b] of lib.pairs) groups.offer(a, b);
    const lazyInvolved = new Set(groups.joinedImages());
    for (const [a, b] of lib.decisions.merges) lazyInvolved.add(a).add(b);
    expect([...lazyInvolved].sort((x, y) => x - y)).toEqual([...involved].sort((x, y) => x - y));
    const lazy = buildClustersFromGroups(
      lib.clusterImages.filter((img) => lazyInvolved.has(img.id)),
      (id) => groups.groupOf(id),
      (a, b) => groups.edge(a, b) ?? undefined,
      lib.decisions,
      mergeDistance,
      (rep, m) => (lazyChecks++, lib.any(rep, m)),
    );

    expect(eager.length).toBeGreaterThan(10);
    expect(lazy).toEqual(eager);
    expect(lazyChecks).toBeLessThan(eagerChecks);
  });
});
