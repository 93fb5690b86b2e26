// Turns verified duplicate edges and the curator's decisions into clusters with a representative each.
// No chaining: a cluster is a star around its representative, and every member has its own confirmed match to
// it (A~B and B~C never put A with C unless A~C was confirmed too). Within each connected group of edges the
// best image (the curator's pick, then quality, resolution, age) takes every image it matches directly; the best
// of the rest starts the next cluster. So a member's distance to its representative is bounded by the threshold,
// and photos of two taxa share a cluster only through a confirmed match between them and the representative.
// Only a curator's merge joins beyond that (and overrides "not a duplicate").
// "Not a duplicate" parts one pair: a member the curator parted from the representative stays when another direct
// member still has a confirmed match to it ("linked via" that member), one hop only; it still needs its own
// confirmed match to the representative, so no image joins a cluster it would not have joined before the decision.
import type { MatchExplanation } from '../../../src-shared/model';

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
  /** Why a matches b, seen from a and from b (absent for edges built without explanations). */
  fromA?: MatchExplanation;
  fromB?: MatchExplanation;
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
  /** The largest member distance to the representative. */
  weakestLink: number;
  /** Each member's distance to the representative, in member order (0 for the representative). */
  distances: number[];
  /** Why each member matched the representative, in member order (null: the representative, or a merge). */
  matches: (MatchExplanation | null)[];
  /** The member that keeps each member in, in member order, when the curator parted it from the representative. */
  linkedVia: (number | null)[];
}

/** The confirmed edge between two images as far as it is known, or undefined when none is. */
export type KnownEdge = (a: number, b: number) => Edge | undefined;

/**
 * Checks a member of a group against a representative the candidate search did not pair it with (a copy of a copy):
 * the verification decides that edge too. Without it only the known edges count.
 */
export type ConfirmEdge = (representative: number, member: number) => Edge | null;

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

export function buildClusters(
  images: ClusterImage[],
  edges: Edge[],
  decisions: ClusterDecisions,
  mergeDistance: (a: number, b: number) => number,
  confirmEdge?: ConfirmEdge,
): BuiltCluster[] {
  const byId = new Set(images.map((img) => img.id));
  const edgeOf = new Map<string, Edge>();
  for (const e of edges) {
    if (!byId.has(e.a) || !byId.has(e.b) || e.a === e.b) continue;
    const k = pairKey(e.a, e.b);
    const known = edgeOf.get(k);
    if (!known || e.distance < known.distance) edgeOf.set(k, e);
  }
  const groups = connectedGroups(images, [...edgeOf.values()]);
  return starClusters(images, groups, (a, b) => edgeOf.get(pairKey(a, b)), decisions, mergeDistance, confirmEdge);
}

/**
 * The clusters buildClusters gives over every confirmed candidate pair, when the candidates were confirmed lazily
 * (CandidateGroups): `groupOf` names each image's group of confirmed candidates, and `knownEdge` confirms a pair when
 * the star step asks about it. Identical clusters, members, distances and explanations, with far fewer checks.
 */
export function buildClustersFromGroups(
  images: ClusterImage[],
  groupOf: (id: number) => number,
  knownEdge: KnownEdge,
  decisions: ClusterDecisions,
  mergeDistance: (a: number, b: number) => number,
  confirmEdge?: ConfirmEdge,
): BuiltCluster[] {
  const groups = new Map<number, number[]>();
  for (const img of images) {
    const g = groupOf(img.id);
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(img.id);
  }
  return starClusters(images, [...groups.values()], knownEdge, decisions, mergeDistance, confirmEdge);
}

/** The stars of each group, then the curator's merges (see the file comment). */
function starClusters(
  images: ClusterImage[],
  groups: number[][],
  knownEdge: KnownEdge,
  decisions: ClusterDecisions,
  mergeDistance: (a: number, b: number) => number,
  confirmEdge: ConfirmEdge | undefined,
): BuiltCluster[] {
  const byId = new Map(images.map((img) => [img.id, img]));
  const key = pairKey;
  // Edges the star step confirmed beyond the known ones (a member against a representative it was not paired with).
  const confirmedHere = new Map<string, Edge>();
  const edgeOf: EdgeBook = {
    get: (a, b) => confirmedHere.get(pairKey(a, b)) ?? knownEdge(a, b),
    set: (a, b, e) => void confirmedHere.set(pairKey(a, b), e),
  };
  const apart = new Set<string>();
  for (const [a, b] of decisions.notDuplicate) apart.add(key(a, b));
  const pinned = new Map<number, number>();
  decisions.representatives.forEach((id, order) => pinned.set(id, order));

  const clusterOf = new Map<number, number[]>();
  const linkOf = new Map<number, number>();
  for (const group of groups) {
    const order = [...group].sort((x, y) => compareForRepresentative(byId.get(x)!, byId.get(y)!, pinned));
    const taken = new Set<number>();
    for (const rep of order) {
      if (taken.has(rep)) continue;
      const members = [rep];
      taken.add(rep);
      for (const m of order) {
        // "Not a duplicate" separates that pair only: a member leaves the star when the curator parted it from the
        // centre it matches; two members parted from each other both stay while each still matches the centre.
        if (taken.has(m) || apart.has(key(rep, m))) continue;
        if (!edgeOf.get(rep, m)) {
          const e = confirmEdge?.(rep, m);
          if (!e) continue;
          edgeOf.set(rep, m, e);
        }
        members.push(m);
        taken.add(m);
      }
      for (const [m, via] of partedButLinked(rep, members, order, taken, apart, edgeOf, key, confirmEdge)) {
        members.push(m);
        taken.add(m);
        linkOf.set(m, via);
      }
      for (const m of members) clusterOf.set(m, members);
    }
  }
  // A merge joins the two clusters as the matches formed them, overriding "not a duplicate" between them.
  for (const [a, b] of decisions.merges) {
    const ca = clusterOf.get(a);
    const cb = clusterOf.get(b);
    if (!ca || !cb || ca === cb) continue;
    ca.push(...cb);
    for (const m of cb) clusterOf.set(m, ca);
  }

  const clusters: BuiltCluster[] = [];
  for (const members of new Set(clusterOf.values())) {
    if (members.length < 2) continue;
    const representative = pickRepresentative(
      members.map((id) => byId.get(id)!),
      pinned,
    );
    const sorted = [...members].sort((a, b) => a - b);
    const distances: number[] = [];
    const matches: (MatchExplanation | null)[] = [];
    // A link only holds in the star it was made for: a merge or a pinned representative elsewhere voids it.
    const linkedVia = sorted.map((m) => {
      const via = linkOf.get(m);
      return via !== undefined && members.includes(via) && apart.has(key(representative, m)) ? via : null;
    });
    for (const m of sorted) {
      if (m === representative) {
        distances.push(0);
        matches.push(null);
        continue;
      }
      const e = edgeOf.get(m, representative);
      distances.push(e ? e.distance : mergeDistance(representative, m));
      matches.push(e ? ((e.a === m ? e.fromA : e.fromB) ?? null) : null);
    }
    clusters.push({ representative, members: sorted, weakestLink: Math.max(...distances), distances, matches, linkedVia });
  }
  return clusters.sort((x, y) => x.members[0]! - y.members[0]!);
}

/** The edges the star step reads: the known ones, and those it confirmed itself. */
interface EdgeBook {
  get(a: number, b: number): Edge | undefined;
  set(a: number, b: number, e: Edge): void;
}

/**
 * Members parted from `rep` by the curator that another direct member still links: each with its own confirmed
 * match to `rep` and to that member (the closest one), and not parted from it. Returns [member, linking member].
 */
function partedButLinked(
  rep: number,
  direct: number[],
  order: number[],
  taken: Set<number>,
  apart: Set<string>,
  edgeOf: EdgeBook,
  key: (a: number, b: number) => string,
  confirmEdge: ConfirmEdge | undefined,
): [number, number][] {
  const confirmed = (a: number, b: number): Edge | undefined => {
    const known = edgeOf.get(a, b);
    if (known || !confirmEdge) return known;
    const e = confirmEdge(a, b);
    if (e) edgeOf.set(a, b, e);
    return e ?? undefined;
  };
  const out: [number, number][] = [];
  for (const m of order) {
    if (taken.has(m) || !apart.has(key(rep, m)) || !confirmed(rep, m)) continue;
    let via: number | null = null;
    let best = Infinity;
    for (const s of direct) {
      if (s === rep || apart.has(key(s, m))) continue;
      const e = confirmed(s, m);
      if (e && e.distance < best) {
        best = e.distance;
        via = s;
      }
    }
    if (via !== null) out.push([m, via]);
  }
  return out;
}

/** Groups of images joined by edges (each image with at least one edge). */
function connectedGroups(images: ClusterImage[], edges: Edge[]): number[][] {
  const parent = new Map<number, number>(images.map((img) => [img.id, img.id]));
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
  for (const e of edges) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = new Map<number, number[]>();
  for (const img of images) {
    const r = find(img.id);
    (groups.get(r) ?? groups.set(r, []).get(r)!).push(img.id);
  }
  return [...groups.values()];
}

/** Negative when `x` makes the better representative (the order pickRepresentative applies). */
function compareForRepresentative(x: ClusterImage, y: ClusterImage, pinned: Map<number, number>): number {
  const px = pinned.get(x.id) ?? -1;
  const py = pinned.get(y.id) ?? -1;
  if (px !== py) return py - px;
  if (x.quality !== y.quality) return y.quality - x.quality;
  const rx = x.width * x.height;
  const ry = y.width * y.height;
  if (rx !== ry) return ry - rx;
  return x.id - y.id;
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
