// bench:duplicates baseline: the incremental candidate index as it was before its tables held the hashes
// themselves (buckets of key numbers into the hash columns, one cache miss per comparison), with the product's
// queries per added image, so the incremental adds are timed against it in the same run and checked to find the
// same candidates.
import { chunkRadii } from '../../src-main/core/duplicates/multi-index';
import { flipMasks } from '../../src-main/core/duplicates/hamming-join';
import { wholePictureMargin } from '../../src-main/core/duplicates/fingerprint-distance';
import { hamming64 } from '../../src-main/core/duplicates/popcount';
import type { Fingerprint } from '../../src-main/core/imaging/fingerprint';

const CHUNK_SHIFTS = [
  (hi: number) => hi >>> 16,
  (hi: number) => hi & 0xffff,
  (_: number, lo: number) => lo >>> 16,
  (_: number, lo: number) => lo & 0xffff,
];

class KeyBucketIndex {
  private readonly hi: number[] = [];
  private readonly lo: number[] = [];
  readonly owners: number[] = [];
  private readonly tables = CHUNK_SHIFTS.map(() => new Array<number[] | undefined>(1 << 16));

  add(hi: number, lo: number, owner: number): void {
    const key = this.hi.length;
    this.hi.push(hi >>> 0);
    this.lo.push(lo >>> 0);
    this.owners.push(owner);
    CHUNK_SHIFTS.forEach((chunk, c) => (this.tables[c]![chunk(hi >>> 0, lo >>> 0)] ??= []).push(key));
  }

  query(hi: number, lo: number, threshold: number, visit: (key: number) => void): void {
    const radii = chunkRadii(threshold);
    hi >>>= 0;
    lo >>>= 0;
    for (let c = 0; c < 4; c++) {
      if (radii[c]! < 0) continue;
      const table = this.tables[c]!;
      const value = CHUNK_SHIFTS[c]!(hi, lo);
      const masks = flipMasks(16, radii[c]!);
      for (let m = 0; m < masks.length; m++) {
        const bucket = table[value ^ masks[m]!];
        if (!bucket) continue;
        for (let i = 0; i < bucket.length; i++) {
          const key = bucket[i]!;
          if (hamming64(hi, lo, this.hi[key]!, this.lo[key]!) <= threshold) visit(key);
        }
      }
    }
  }
}

/** DuplicateIndex.add and .candidates(id, fp, threshold, true) over key-number buckets (ids are the owners). */
export class PreviousIncrementalIndex {
  private readonly targets = new KeyBucketIndex();
  private readonly transforms = new KeyBucketIndex();
  private readonly wholes = new KeyBucketIndex();

  add(id: number, fp: Fingerprint): void {
    this.targets.add(fp.dihedral[0]!, fp.dihedral[1]!, id);
    this.wholes.add(fp.dihedral[0]!, fp.dihedral[1]!, id);
    for (let k = 0; k < fp.regions.length; k += 2) this.targets.add(fp.regions[k]!, fp.regions[k + 1]!, id);
    for (let j = 0; j < 16; j += 2) this.transforms.add(fp.dihedral[j]!, fp.dihedral[j + 1]!, id);
  }

  candidates(id: number, fp: Fingerprint, threshold: number): Set<number> {
    const margin = wholePictureMargin(threshold);
    const out = new Set<number>();
    const collect = (index: KeyBucketIndex) => (key: number) => {
      if (index.owners[key] !== id) out.add(index.owners[key]!);
    };
    for (let j = 0; j < 16; j += 2) this.targets.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold, collect(this.targets));
    for (let j = 0; j < 16; j += 2) this.wholes.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold + margin, collect(this.wholes));
    this.transforms.query(fp.dihedral[0]!, fp.dihedral[1]!, threshold + margin, collect(this.transforms));
    for (let k = 0; k < fp.regions.length; k += 2)
      this.transforms.query(fp.regions[k]!, fp.regions[k + 1]!, threshold, collect(this.transforms));
    return out;
  }
}
