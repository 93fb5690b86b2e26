// Growable columns of 64-bit hashes (hi and lo words) with one tag byte each, for hashes gathered one at a time: the
// export's leakage check (the tag says what a hash describes) and the index's edge hashes (the tag marks whole
// pictures). Typed arrays, so 1M+ hashes never become boxed numbers.
import type { HashColumns } from './hamming-join';

export class TaggedHashColumns {
  private hiWords = new Uint32Array(1024);
  private loWords = new Uint32Array(1024);
  private tags = new Uint8Array(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(hi: number, lo: number, tag: number): void {
    if (this.count === this.hiWords.length) {
      const grow = <T extends Uint32Array | Uint8Array>(old: T, next: T): T => (next.set(old), next);
      this.hiWords = grow(this.hiWords, new Uint32Array(2 * this.count));
      this.loWords = grow(this.loWords, new Uint32Array(2 * this.count));
      this.tags = grow(this.tags, new Uint8Array(2 * this.count));
    }
    this.hiWords[this.count] = hi;
    this.loWords[this.count] = lo;
    this.tags[this.count++] = tag;
  }

  /** The hashes gathered so far (views, not copies). */
  columns(): HashColumns {
    return { hi: this.hiWords.subarray(0, this.count), lo: this.loWords.subarray(0, this.count) };
  }

  /** The tags gathered so far (a view). */
  tagColumn(): Uint8Array {
    return this.tags.subarray(0, this.count);
  }
}
