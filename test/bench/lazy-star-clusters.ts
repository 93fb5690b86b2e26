// The product's star clustering (cluster-graph.ts buildClusters after confirming every candidate pair) computed
// with far fewer content checks, so the clustering report can run at 30k generated images: a candidate pair whose
// images are already joined by confirmed pairs cannot change the groups, so it is confirmed only if the star step
// later asks about it. Same groups, same representatives, same members and distances as the eager path; the bench
// checks that on every size where it also runs the eager path.
import type { BuiltCluster } from '../../src-main/core/duplicates/cluster-graph';

export interface LazyConfirm {
  /** The candidate's confirmation with the hash gate (confirmPair at the threshold): its distance, or null. */
  gated(a: number, b: number): number | null;
  /** The content check alone (confirmPair with anyDistance), for a member the candidate search did not pair. */
  any(a: number, b: number): number | null;
}

/**
 * `pairs` are the candidate pairs (a < b); images are ranked for representative by id (the bench gives every image
 * the same quality and size, so the product's order falls back to the id too). Decisions are not modelled.
 */
export function lazyStarClusters(
  images: number,
  pairs: [number, number][],
  confirm: LazyConfirm,
): { clusters: BuiltCluster[]; checks: number } {
  let checks = 0;
  const gatedMemo = new Map<number, number | null>();
  const key = (a: number, b: number) => (a < b ? a * images + b : b * images + a);
  const candidate = new Set(pairs.map(([a, b]) => key(a, b)));
  const gated = (a: number, b: number): number | null => {
    const k = key(a, b);
    if (!gatedMemo.has(k)) {
      checks++;
      gatedMemo.set(k, confirm.gated(Math.min(a, b), Math.max(a, b)));
    }
    return gatedMemo.get(k)!;
  };
  const parent = Int32Array.from({ length: images }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const [a, b] of pairs) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    if (gated(a, b) !== null) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < images; i++) (groups.get(find(i)) ?? groups.set(find(i), []).get(find(i))!).push(i);
  const clusters: BuiltCluster[] = [];
  for (const order of groups.values()) {
    if (order.length < 2) continue;
    const taken = new Set<number>();
    for (const rep of order) {
      if (taken.has(rep)) continue;
      taken.add(rep);
      const members = [rep];
      const distanceOf = new Map<number, number>([[rep, 0]]);
      for (const m of order) {
        if (taken.has(m)) continue;
        let d = candidate.has(key(rep, m)) ? gated(rep, m) : null;
        if (d === null) {
          checks++;
          d = confirm.any(rep, m);
        }
        if (d === null) continue;
        members.push(m);
        taken.add(m);
        distanceOf.set(m, d);
      }
      if (members.length < 2) continue;
      members.sort((x, y) => x - y);
      const distances = members.map((m) => distanceOf.get(m)!);
      clusters.push({
        representative: rep,
        members,
        weakestLink: Math.max(...distances),
        distances,
        matches: members.map(() => null),
        linkedVia: members.map(() => null),
      });
    }
  }
  return { clusters: clusters.sort((x, y) => x.members[0]! - y.members[0]!), checks };
}
