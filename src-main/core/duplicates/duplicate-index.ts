// The in-memory candidate index over every image's fingerprint hashes, kept per library and grown on ingest.
// Two tables, because a copy is found by comparing the copy's whole picture (under each flip/rotation) with the
// original's whole picture and regions: `targets` holds whole + regions, `transforms` the 8 dihedral hashes.
import type { Fingerprint } from '../imaging/fingerprint';
import { MultiIndex } from './multi-index';
import type { JoinWorkers } from './parallel-join';

export class DuplicateIndex {
  private readonly targets = new MultiIndex();
  private readonly transforms = new MultiIndex();
  private readonly known = new Set<number>();

  get images(): number {
    return this.known.size;
  }

  has(id: number): boolean {
    return this.known.has(id);
  }

  add(id: number, fp: Fingerprint): void {
    if (this.known.has(id)) return;
    this.known.add(id);
    this.targets.add(fp.dihedral[0]!, fp.dihedral[1]!, id);
    for (let k = 0; k < fp.regions.length; k += 2) this.targets.add(fp.regions[k]!, fp.regions[k + 1]!, id);
    for (let j = 0; j < 16; j += 2) this.transforms.add(fp.dihedral[j]!, fp.dihedral[j + 1]!, id);
  }

  /**
   * Images that may be a copy of (part of) `fp`, or of which `fp` may be a copy. With `bothWays` false only
   * the second direction is searched: enough when every image is queried once, as in a full re-clustering.
   */
  candidates(id: number, fp: Fingerprint, threshold: number, bothWays: boolean): Set<number> {
    const out = new Set<number>();
    const collect = (index: MultiIndex) => (key: number) => {
      const owner = index.owner(key);
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
   * Every (copy, original) pair of images whose fingerprints may match, for a full re-clustering: all images'
   * flips/rotations joined with all images' whole pictures and regions in one pass, rather than one query per
   * hash. Each ordered pair once; the same candidates `candidates(id, fp, threshold, false)` gives per image.
   */
  async forEachCandidatePair(threshold: number, workers: JoinWorkers, visit: (copy: number, original: number) => void): Promise<void> {
    const seen = new Set<string>();
    await workers.join(this.transforms.columns(), this.targets.columns(), threshold, (t, o) => {
      const copy = this.transforms.owner(t);
      const original = this.targets.owner(o);
      const key = `${copy}:${original}`;
      if (copy === original || seen.has(key)) return;
      seen.add(key);
      visit(copy, original);
    });
  }
}
