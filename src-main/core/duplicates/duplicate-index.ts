// The in-memory candidate index over every image's fingerprint hashes, kept per library and grown on ingest.
// Two tables, because a copy is found by comparing the copy's whole picture (under each flip/rotation) with the
// original's whole picture and regions: `targets` holds whole + regions, `transforms` the 8 dihedral hashes.
// Hashes are owned by dense numbers (the order images were added), mapped back to image ids on the way out, so a
// whole-library join can pack pairs of owners into numbers whatever the ids.
import type { Fingerprint } from '../imaging/fingerprint';
import { MultiIndex } from './multi-index';
import type { JoinWorkers } from './parallel-join';

export class DuplicateIndex {
  private readonly targets = new MultiIndex();
  private readonly transforms = new MultiIndex();
  private readonly dense = new Map<number, number>();
  private readonly ids: number[] = [];

  get images(): number {
    return this.ids.length;
  }

  has(id: number): boolean {
    return this.dense.has(id);
  }

  add(id: number, fp: Fingerprint): void {
    if (this.dense.has(id)) return;
    const owner = this.ids.length;
    this.dense.set(id, owner);
    this.ids.push(id);
    this.targets.add(fp.dihedral[0]!, fp.dihedral[1]!, owner);
    for (let k = 0; k < fp.regions.length; k += 2) this.targets.add(fp.regions[k]!, fp.regions[k + 1]!, owner);
    for (let j = 0; j < 16; j += 2) this.transforms.add(fp.dihedral[j]!, fp.dihedral[j + 1]!, owner);
  }

  /**
   * Images that may be a copy of (part of) `fp`, or of which `fp` may be a copy. With `bothWays` false only
   * the second direction is searched: enough when every image is queried once, as in a full re-clustering.
   */
  candidates(id: number, fp: Fingerprint, threshold: number, bothWays: boolean): Set<number> {
    const out = new Set<number>();
    const collect = (index: MultiIndex) => (key: number) => {
      const owner = this.ids[index.owner(key)]!;
      if (owner !== id) out.add(owner);
    };
    const fromTargets = collect(this.targets);
    for (let j = 0; j < 16; j += 2) this.targets.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold, fromTargets);
    if (bothWays) {
      const fromTransforms = collect(this.transforms);
      this.transforms.query(fp.dihedral[0]!, fp.dihedral[1]!, threshold, fromTransforms);
      for (let k = 0; k < fp.regions.length; k += 2) this.transforms.query(fp.regions[k]!, fp.regions[k + 1]!, threshold, fromTransforms);
    }
    return out;
  }

  /**
   * Every pair of images whose fingerprints may match, for a full re-clustering: all images' flips/rotations
   * joined with all images' whole pictures and regions in one pass, rather than one query per hash. Each pair
   * once, as (a, b) with a < b, with the smallest hash distance found: the pairs `candidates(id, fp, threshold,
   * false)` gives per image, either way round. Returns how many pairs it visited.
   */
  async forEachCandidatePair(
    threshold: number,
    workers: JoinWorkers,
    visit: (a: number, b: number, distance: number) => void,
  ): Promise<number> {
    const owned = (index: MultiIndex) => ({ ...index.columns(), owner: index.ownerColumn() });
    const pairs = await workers.joinImagePairs(owned(this.transforms), owned(this.targets), threshold, true);
    for (let k = 0; k < pairs.left.length; k++) {
      const a = this.ids[pairs.left[k]!]!;
      const b = this.ids[pairs.right[k]!]!;
      if (a < b) visit(a, b, pairs.distance[k]!);
      else visit(b, a, pairs.distance[k]!);
    }
    return pairs.left.length;
  }
}
