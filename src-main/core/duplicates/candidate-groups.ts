// Groups of images joined by confirmed candidate pairs, confirming as few candidates as the clusters need.
// A re-clustering's join hands over every candidate pair, and most of a duplicate-heavy library's pairs fall inside
// a group already formed (ten copies of one photo make 45 pairs; 9 confirmations join them). Such a pair cannot
// change the groups, so it is confirmed only if the star step (cluster-graph.ts) later asks about it; the clusters
// are exactly those of confirming every pair first (a unit test compares the two on random libraries).
import type { Edge } from './cluster-graph';

export class CandidateGroups {
  private readonly parent = new Map<number, number>();
  private readonly checked = new Map<string, Edge | null>();

  /** `confirm` is the candidate's confirmation with the hash gate (what the join's pairs get), null when refused. */
  constructor(private readonly confirm: (a: number, b: number) => Edge | null) {}

  /** A candidate pair from the join: confirmed now only when it would join two groups. */
  offer(a: number, b: number): void {
    const ra = this.groupOf(a);
    const rb = this.groupOf(b);
    if (ra === rb || !this.edge(a, b)) return;
    this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }

  /**
   * The pair's confirmed edge, confirming it on first ask (null: refused). Asked about a pair the join did not hand
   * over, the confirmation refuses it at its gate without a content check, as the eager path would never have had
   * it: the join reports every pair that passes the gates.
   */
  edge(a: number, b: number): Edge | null {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    let known = this.checked.get(key);
    if (known === undefined) {
      known = this.confirm(Math.min(a, b), Math.max(a, b));
      this.checked.set(key, known);
    }
    return known;
  }

  /** The group's smallest image id (an image never joined is its own group). */
  groupOf(id: number): number {
    let root = id;
    for (let up = this.parent.get(root); up !== undefined && up !== root; up = this.parent.get(root)) root = up;
    // Path compression: every image on the way points at the root.
    for (let x = id; x !== root;) {
      const next = this.parent.get(x)!;
      this.parent.set(x, root);
      x = next;
    }
    return root;
  }

  /** Every image in a group of two or more. */
  joinedImages(): number[] {
    const out = new Set<number>();
    for (const [child, up] of this.parent) {
      out.add(child);
      out.add(up);
    }
    return [...out];
  }
}
