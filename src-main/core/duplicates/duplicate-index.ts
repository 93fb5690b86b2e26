// The in-memory candidate index over every image's fingerprint hashes, kept per library and grown on ingest.
// Two tables, because a copy is found by comparing the copy's whole picture (under each flip/rotation) with the
// original's whole picture and regions: `targets` holds whole + regions, `transforms` the 8 dihedral hashes.
// The wide gates (content-only-gate.ts) add three joins whose pairs the content check decides alone: every flip against
// whole pictures a few bits past the threshold, upright against upright further still (an overlaid copy moves the
// whole hash past the threshold; kept only within the upright key, pHash + edge hash, from `wholeEdges`), both over
// `wholes` (each image's upright picture), and upright pictures against
// off-centre windows within it (`offCentres`: off-centre crops), each one hash on one side, so they cost a fraction
// of the region join.
// Hashes are owned by dense numbers (the order images were added), mapped back to image ids on the way out, so a
// whole-library join can pack pairs of owners into numbers whatever the ids.
import type { Fingerprint } from '../imaging/fingerprint';
import { candidateGates, uprightKeyHolds, withinUprightKey } from './content-only-gate';
import { edgeKeyThreshold, wholePictureMargin } from './fingerprint-distance';
import { EdgeColumns } from './keyed-pair-join';
import { MultiIndex } from './multi-index';
import type { ImagePairs } from './image-pair-join';
import { hamming64 } from './popcount';
import type { JoinWorkers } from './parallel-join';

export class DuplicateIndex {
  private readonly targets = new MultiIndex();
  private readonly transforms = new MultiIndex();
  private readonly wholes = new MultiIndex();
  private readonly offCentres = new MultiIndex();
  /** Edge hashes of `targets` and `transforms` by key number: the main join's 128-bit key (fingerprint v5). */
  private readonly targetEdges = new EdgeColumns();
  private readonly transformEdges = new EdgeColumns();
  /** Edge hash of each image's upright picture by owner (`wholes` key numbers): the upright gate's key. */
  private readonly wholeEdges = new EdgeColumns();
  private readonly dense = new Map<number, number>();
  private readonly ids: number[] = [];

  get images(): number {
    return this.ids.length;
  }

  /** Hashes the candidate join searches within the threshold (whole pictures and regions of every image). */
  get targetCount(): number {
    return this.targets.size;
  }

  has(id: number): boolean {
    return this.dense.has(id);
  }

  add(id: number, fp: Fingerprint): void {
    if (this.dense.has(id)) return;
    const owner = this.ids.length;
    this.dense.set(id, owner);
    this.ids.push(id);
    // Edge hashes as edgeKeyAgrees reads them: the 8 flips' first, then one per region.
    this.targets.add(fp.dihedral[0]!, fp.dihedral[1]!, owner);
    this.targetEdges.add(fp.edges[0], fp.edges[1], true);
    this.wholes.add(fp.dihedral[0]!, fp.dihedral[1]!, owner);
    this.wholeEdges.add(fp.edges[0], fp.edges[1], true);
    for (let k = 0; k < fp.offCentre.length; k += 2) this.offCentres.add(fp.offCentre[k]!, fp.offCentre[k + 1]!, owner);
    for (let k = 0; k < fp.regions.length; k += 2) {
      this.targets.add(fp.regions[k]!, fp.regions[k + 1]!, owner);
      this.targetEdges.add(fp.edges[16 + k], fp.edges[17 + k], false);
    }
    for (let j = 0; j < 16; j += 2) {
      this.transforms.add(fp.dihedral[j]!, fp.dihedral[j + 1]!, owner);
      this.transformEdges.add(fp.edges[j], fp.edges[j + 1], false);
    }
  }

  /**
   * Images that may be a copy of (part of) `fp`, or of which `fp` may be a copy. With `bothWays` false only
   * the second direction is searched: enough when every image is queried once, as in a full re-clustering.
   * `gates`: the wide gates searched besides the threshold (NO_WIDE_GATES: the threshold alone).
   */
  candidates(id: number, fp: Fingerprint, threshold: number, bothWays: boolean, gates = candidateGates(threshold)): Set<number> {
    const margin = gates.wholeMargin;
    const out = new Set<number>();
    const collect = (index: MultiIndex) => (key: number) => {
      const owner = this.ids[index.owner(key)]!;
      if (owner !== id) out.add(owner);
    };
    const fromTargets = collect(this.targets);
    const fromWholes = collect(this.wholes);
    for (let j = 0; j < 16; j += 2) this.targets.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold, fromTargets);
    if (margin > 0) for (let j = 0; j < 16; j += 2) this.wholes.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold + margin, fromWholes);
    // Upright against upright is symmetric, so one query serves both ways; the upright key (pHash + edge hash) as
    // uprightGatePasses reads it, from the edge hashes kept by key number.
    if (gates.uprightMargin > 0) {
      const edges = this.wholeEdges.columns();
      const [eHi, eLo] = [fp.edges[0] ?? 0, fp.edges[1] ?? 0];
      this.wholes.query(fp.dihedral[0]!, fp.dihedral[1]!, threshold + gates.uprightMargin, (key, distance) => {
        if (uprightKeyHolds(gates, distance, () => hamming64(eHi, eLo, edges.hi[key]!, edges.lo[key]!))) fromWholes(key);
      });
    }
    if (gates.offCentre) this.offCentres.query(fp.dihedral[0]!, fp.dihedral[1]!, threshold, collect(this.offCentres));
    if (bothWays && gates.offCentre)
      for (let k = 0; k < fp.offCentre.length; k += 2) this.wholes.query(fp.offCentre[k]!, fp.offCentre[k + 1]!, threshold, fromWholes);
    if (bothWays) {
      const fromTransforms = collect(this.transforms);
      this.transforms.query(fp.dihedral[0]!, fp.dihedral[1]!, threshold + margin, fromTransforms);
      for (let k = 0; k < fp.regions.length; k += 2) this.transforms.query(fp.regions[k]!, fp.regions[k + 1]!, threshold, fromTransforms);
    }
    return out;
  }

  /**
   * Every pair of images whose fingerprints may match, for a full re-clustering: all images' flips/rotations
   * joined with all images' whole pictures and regions in one pass, rather than one query per hash. Each pair
   * once, as (a, b) with a < b, with the smallest hash distance found: the pairs `candidates(id, fp, threshold,
   * false, gates)` gives per image, either way round, except that pairs within the threshold are kept only when
   * within the 128-bit edge key too (edgeKeyAgrees, which confirmPair requires of them), unless `edgeKey` is false.
   * Returns how many pairs it visited; `stats.anyPairChecks`: pairs the key was tested on over every hash pair.
   */
  async forEachCandidatePair(
    threshold: number,
    workers: JoinWorkers,
    visit: (a: number, b: number, distance: number) => void,
    gates = candidateGates(threshold),
    options: { edgeKey: boolean; stats?: { anyPairChecks: number } } = { edgeKey: true },
  ): Promise<number> {
    const owned = (index: MultiIndex) => ({ ...index.columns(), owner: index.ownerColumn() });
    const key = { threshold: edgeKeyThreshold(threshold), allowance: this.targetEdges.allowance(wholePictureMargin(threshold)) };
    const main = options.edgeKey
      ? await workers.joinKeyedImagePairs(
          { ...owned(this.transforms), edges: this.transformEdges.columns() },
          { ...owned(this.targets), edges: this.targetEdges.columns() },
          threshold,
          key,
        )
      : { ...(await workers.joinImagePairs(owned(this.transforms), owned(this.targets), threshold, true)), anyPairChecks: 0 };
    if (options.stats) options.stats.anyPairChecks = main.anyPairChecks;
    const lists: ImagePairs[] = [main];
    // The wide gates' joins, each with one hash per image on at least one side.
    if (gates.wholeMargin > 0)
      lists.push(await workers.joinImagePairs(owned(this.transforms), owned(this.wholes), threshold + gates.wholeMargin, true));
    if (gates.uprightMargin > 0)
      lists.push(
        withinUprightKey(
          await workers.joinImagePairs(owned(this.wholes), null, threshold + gates.uprightMargin, true),
          gates,
          this.wholeEdges.columns(),
        ),
      );
    if (gates.offCentre) lists.push(await workers.joinImagePairs(owned(this.wholes), owned(this.offCentres), threshold, true));
    let visited = 0;
    mergePairLists(lists, (p, q, distance) => {
      const a = this.ids[p]!;
      const b = this.ids[q]!;
      visited++;
      if (a < b) visit(a, b, distance);
      else visit(b, a, distance);
    });
    return visited;
  }
}

/**
 * Lists sorted by (left, right) owner, merged so each pair is visited once with its smallest distance. A few lists
 * (one per join), so a linear scan for the smallest head is enough.
 */
export function mergePairLists(lists: ImagePairs[], visit: (p: number, q: number, distance: number) => void): void {
  const at = lists.map(() => 0);
  for (;;) {
    let p = -1;
    let q = -1;
    for (const [i, list] of lists.entries()) {
      const k = at[i]!;
      if (k >= list.left.length) continue;
      const lp = list.left[k]!;
      const lq = list.right[k]!;
      if (p < 0 || lp < p || (lp === p && lq < q)) {
        p = lp;
        q = lq;
      }
    }
    if (p < 0) return;
    let distance = 64;
    for (const [i, list] of lists.entries()) {
      const k = at[i]!;
      if (k < list.left.length && list.left[k] === p && list.right[k] === q) {
        distance = Math.min(distance, list.distance[k]!);
        at[i] = k + 1;
      }
    }
    visit(p, q, distance);
  }
}
