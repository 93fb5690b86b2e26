// bench:duplicates baseline: the candidate index as it was before its buckets held their hashes (frozen copy, so
// the incremental figures compare with it in the same run). Buckets of key numbers, hashes read from columns.
import { WHOLE_PICTURE_MARGIN } from '../../src-shared/defaults';
import { chunkRadii, flipMasks } from '../../src-main/core/duplicates/hamming-join';
import type { Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { hamming64 } from '../../src-main/core/duplicates/popcount';

class PreviousMultiIndex {
  private readonly hi: number[] = [];
  private readonly lo: number[] = [];
  readonly owners: number[] = [];
  private readonly tables: (number[] | undefined)[][] = Array.from({ length: 4 }, () => new Array<number[] | undefined>(65536));

  add(hi: number, lo: number, owner: number): void {
    const key = this.hi.length;
    this.hi.push(hi >>> 0);
    this.lo.push(lo >>> 0);
    this.owners.push(owner);
    for (let c = 0; c < 4; c++) (this.tables[c]![chunkOf(hi >>> 0, lo >>> 0, c)] ??= []).push(key);
  }

  query(hi: number, lo: number, threshold: number, visit: (key: number) => void): void {
    const radii = chunkRadii(threshold, 4);
    hi >>>= 0;
    lo >>>= 0;
    for (let c = 0; c < 4; c++) {
      if (radii[c]! < 0) continue;
      const value = chunkOf(hi, lo, c);
      const masks = flipMasks(16, radii[c]!);
      for (let m = 0; m < masks.length; m++) {
        const bucket = this.tables[c]![value ^ masks[m]!];
        if (!bucket) continue;
        for (const key of bucket) if (hamming64(hi, lo, this.hi[key]!, this.lo[key]!) <= threshold) visit(key);
      }
    }
  }
}

function chunkOf(hi: number, lo: number, c: number): number {
  return c === 0 ? hi >>> 16 : c === 1 ? hi & 0xffff : c === 2 ? lo >>> 16 : lo & 0xffff;
}

/** DuplicateIndex's incremental part (add, candidates both ways, whole-picture margin) over the previous buckets. */
export class PreviousDuplicateIndex {
  private readonly targets = new PreviousMultiIndex();
  private readonly transforms = new PreviousMultiIndex();
  private readonly wholes = new PreviousMultiIndex();

  add(id: number, fp: Fingerprint): void {
    this.targets.add(fp.dihedral[0]!, fp.dihedral[1]!, id);
    this.wholes.add(fp.dihedral[0]!, fp.dihedral[1]!, id);
    for (let k = 0; k < fp.regions.length; k += 2) this.targets.add(fp.regions[k]!, fp.regions[k + 1]!, id);
    for (let j = 0; j < 16; j += 2) this.transforms.add(fp.dihedral[j]!, fp.dihedral[j + 1]!, id);
  }

  candidates(id: number, fp: Fingerprint, threshold: number, _bothWays: true): Set<number> {
    const out = new Set<number>();
    const collect = (index: PreviousMultiIndex) => (key: number) => {
      const owner = index.owners[key]!;
      if (owner !== id) out.add(owner);
    };
    const fromTargets = collect(this.targets);
    for (let j = 0; j < 16; j += 2) this.targets.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold, fromTargets);
    const fromWholes = collect(this.wholes);
    for (let j = 0; j < 16; j += 2) this.wholes.query(fp.dihedral[j]!, fp.dihedral[j + 1]!, threshold + WHOLE_PICTURE_MARGIN, fromWholes);
    const fromTransforms = collect(this.transforms);
    this.transforms.query(fp.dihedral[0]!, fp.dihedral[1]!, threshold + WHOLE_PICTURE_MARGIN, fromTransforms);
    for (let k = 0; k < fp.regions.length; k += 2) this.transforms.query(fp.regions[k]!, fp.regions[k + 1]!, threshold, fromTransforms);
    return out;
  }
}
