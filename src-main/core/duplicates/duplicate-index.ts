// The in-memory candidate index over every image's fingerprint hashes, kept per library and grown on ingest.
// Two tables, because a copy is found by comparing the copy's whole picture (under each flip/rotation) with the
// original's whole picture and regions: `targets` holds whole + regions, `transforms` the 8 dihedral hashes.
// Whole pictures are also searched wholePictureMargin(threshold) bits further (`wholes`, one hash per image): an overlaid
// copy moves the whole hash past the threshold, and the content check then decides those pairs alone.
// Hashes are owned by dense numbers (the order images were added), mapped back to image ids on the way out, so a
// whole-library join can pack pairs of owners into numbers whatever the ids.
import type { Fingerprint } from '../imaging/fingerprint';
import { wholePictureMargin } from './fingerprint-distance';
import { MultiIndex } from './multi-index';
import type { JoinWorkers } from './parallel-join';

export class DuplicateIndex {
  private readonly targets = new MultiIndex();
  private readonly transforms = new MultiIndex();
  private readonly wholes = new MultiIndex();
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
    this.targets.add(fp.dihedral[0]!, fp.dihedral[1]!, owner);
    this.wholes.add(fp.dihedral[0]!, fp.dihedral[1]!, owner);
    for (let k = 0; k < fp.regions.length; k += 2) this.targets.add(fp.regions[k]!, fp.regions[k + 1]!, owner);
    for (let j = 0; j < 16; j += 2) this.transforms.add(fp.dihedral[j]!, fp.dihedral[j + 1]!, owner);
  }

  /**
   * Images that may be a copy of (part of) `fp`, or of which `fp` may be a copy. With `bothWays` false only
   * the second direction is searched: enough when every image is queried once, as in a full re-clustering.
   * Whole pictures are searched `margin` bits past the threshold (0: the threshold alone).
   */
  candidates(id: number, fp: Fingerprint, threshold: number, bothWays: boolean, margin = wholePictureMargin(threshold)): Set<number> {
    const out = new Set<number>();
    const collect = (index: MultiIndex) => (key: number) => {
      const owner = this.ids[index.owner(key)]!;
      if (owner !== id) out.add(owner);
    };
    const fromTargets = collect(this.targets);
    for (let j = 0; j < 16; j += 2) this.targets.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold, fromTargets);
    if (margin > 0) {
      const fromWholes = collect(this.wholes);
      for (let j = 0; j < 16; j += 2) this.wholes.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold + margin, fromWholes);
    }
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
   * false, margin)` gives per image, either way round. Returns how many pairs it visited.
   */
  async forEachCandidatePair(
    threshold: number,
    workers: JoinWorkers,
    visit: (a: number, b: number, distance: number) => void,
    margin = wholePictureMargin(threshold),
  ): Promise<number> {
    const owned = (index: MultiIndex) => ({ ...index.columns(), owner: index.ownerColumn() });
    const pairs = await workers.joinImagePairs(owned(this.transforms), owned(this.targets), threshold, true);
    // The wider join of flips against whole pictures only; its pairs the first join found are not visited again.
    const wide =
      margin > 0
        ? await workers.joinImagePairs(owned(this.transforms), owned(this.wholes), threshold + margin, true)
        : { left: new Int32Array(0), right: new Int32Array(0), distance: new Uint8Array(0) };
    let visited = 0;
    const emit = (p: number, q: number, distance: number) => {
      const a = this.ids[p]!;
      const b = this.ids[q]!;
      visited++;
      if (a < b) visit(a, b, distance);
      else visit(b, a, distance);
    };
    // Both lists are sorted by (left, right) owner: a merge keeps each pair once with its smaller distance.
    let w = 0;
    for (let k = 0; k < pairs.left.length; k++) {
      const p = pairs.left[k]!;
      const q = pairs.right[k]!;
      while (w < wide.left.length && (wide.left[w]! < p || (wide.left[w] === p && wide.right[w]! < q))) {
        emit(wide.left[w]!, wide.right[w]!, wide.distance[w]!);
        w++;
      }
      let distance = pairs.distance[k]!;
      if (w < wide.left.length && wide.left[w] === p && wide.right[w] === q) distance = Math.min(distance, wide.distance[w++]!);
      emit(p, q, distance);
    }
    for (; w < wide.left.length; w++) emit(wide.left[w]!, wide.right[w]!, wide.distance[w]!);
    return visited;
  }
}
