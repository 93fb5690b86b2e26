// Turns verified duplicate edges and the curator's decisions into clusters with a representative each.
// Edges are joined lightest first (Kruskal), so the last edge that joined a cluster is its weakest link. A "not a
// duplicate" decision removes that pair's own edge only: each image stays in the cluster while another member still
// links it, so one decision on one pair never pulls an image (say the representative) out of every other pairing.

export interface ClusterImage {
  id: number;
  quality: number;
  width: number;
  height: number;
}

export interface Edge {
  a: number;
  b: number;
  distance: number;
}

export interface ClusterDecisions {
  /** Pairs the curator said are different photographs. */
  notDuplicate: [number, number][];
  /** Pairs whose clusters the curator merged, oldest first. */
  merges: [number, number][];
  /** Images chosen as representative, oldest first (the latest choice within a cluster wins). */
  representatives: number[];
}

export interface BuiltCluster {
  representative: number;
  members: number[];
  weakestLink: number;
}

export function buildClusters(
  images: ClusterImage[],
  edges: Edge[],
  decisions: ClusterDecisions,
  mergeDistance: (a: number, b: number) => number,
): BuiltCluster[] {
  const byId = new Map(images.map((img) => [img.id, img]));
  const parent = new Map<number, number>();
  const members = new Map<number, number[]>();
  const weakest = new Map<number, number>();
  for (const img of images) {
    parent.set(img.id, img.id);
    members.set(img.id, [img.id]);
    weakest.set(img.id, 0);
  }
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    while (parent.get(x) !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const apart = new Set(decisions.notDuplicate.map(([a, b]) => pairKey(a, b)));
  const union = (a: number, b: number, distance: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    const [keep, drop] = members.get(ra)!.length >= members.get(rb)!.length ? [ra, rb] : [rb, ra];
    parent.set(drop, keep);
    members.get(keep)!.push(...members.get(drop)!);
    members.delete(drop);
    weakest.set(keep, Math.max(weakest.get(keep)!, weakest.get(drop)!, distance));
  };

  const sorted = [...edges].sort((x, y) => x.distance - y.distance || x.a - y.a || x.b - y.b);
  for (const e of sorted) if (byId.has(e.a) && byId.has(e.b) && !apart.has(pairKey(e.a, e.b))) union(e.a, e.b, e.distance);
  // A merge joins the two clusters as the fingerprints formed them, whatever was said about single pairs in them.
  for (const [a, b] of decisions.merges) if (byId.has(a) && byId.has(b)) union(a, b, mergeDistance(a, b));

  const pinned = new Map<number, number>();
  decisions.representatives.forEach((id, order) => pinned.set(id, order));
  const clusters: BuiltCluster[] = [];
  for (const [root, ids] of members) {
    if (ids.length < 2) continue;
    clusters.push({
      representative: pickRepresentative(
        ids.map((id) => byId.get(id)!),
        pinned,
      ),
      members: [...ids].sort((a, b) => a - b),
      weakestLink: weakest.get(root)!,
    });
  }
  return clusters.sort((x, y) => x.members[0]! - y.members[0]!);
}

function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** The curator's latest choice if any, else the highest quality, then the highest resolution, then the oldest. */
export function pickRepresentative(images: ClusterImage[], pinned: Map<number, number> = new Map()): number {
  let chosen: ClusterImage | undefined;
  for (const img of images) {
    if (!chosen) {
      chosen = img;
      continue;
    }
    const pa = pinned.get(img.id) ?? -1;
    const pb = pinned.get(chosen.id) ?? -1;
    if (pa !== pb) {
      if (pa > pb) chosen = img;
      continue;
    }
    if (img.quality !== chosen.quality) {
      if (img.quality > chosen.quality) chosen = img;
      continue;
    }
    const ra = img.width * img.height;
    const rb = chosen.width * chosen.height;
    if (ra !== rb ? ra > rb : img.id < chosen.id) chosen = img;
  }
  if (!chosen) throw new Error('a cluster needs at least one image');
  return chosen.id;
}
