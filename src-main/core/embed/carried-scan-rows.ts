// A search filter's scan rows (packed float32 or int8 vectors of the images it allows), carried over catalogue
// changes that wrote no vector. Built from scratch they read every allowed image's vector from SQLite: at 1M images
// ~18 us of CPU each since migration 021 (~80 before), 1.8 s for a 10 % filter, and any write (one label decision)
// made the next search pay it again. Carried, the rows of images still allowed are copied in memory and only images
// newly allowed are read.
import type { Db } from '../catalog/database';
import { AcrossVersions } from '../catalog/version-cache';
import { bytesOfIds } from './carried-allowed-ids';
import { sameVectors, vectorMark, type VectorMark } from '../vector/vector-writes';

export interface ScanRows {
  readonly ids: Float64Array;
  readonly rows: number;
  readonly byteLength: number;
  set(row: number, id: number, vector: Uint8Array): void;
  copyRow(to: number, from: this, fromRow: number): void;
}

/** One model's stored vectors: its size, and the float32 BLOBs of those of these images that have one. */
export interface VectorSource {
  dim: number;
  read(ids: number[]): { imageId: number; vector: Uint8Array }[];
}

interface Built<T> {
  rows: T;
  /** The allowed ids the rows were built for (those without a vector have no row). */
  allowed: Set<number>;
  mark: VectorMark;
}

/** How `carry` built its last value: tests and the search trace read it. */
export interface CarryOutcome {
  carried: number;
  read: number;
}

/** Scan rows of one kind, the last built per filter kept (within the version cache's budget) to carry from. */
export class CarriedScanRows<T extends ScanRows> {
  private readonly last = new AcrossVersions<Built<T>>();

  constructor(private readonly make: (dim: number, rows: number) => T) {}

  /**
   * Rows for the images `allowed` that have a vector: the last build's rows under `key` (which names the model and
   * filter) where they can be trusted, else read.
   */
  build(db: Db, key: string, allowed: Set<number>, source: VectorSource): { rows: T } & CarryOutcome {
    const mark = vectorMark(db);
    const cache = this.last.of(db);
    const previous = cache.peek(key);
    const fresh =
      previous && mark && sameVectors(previous.mark, mark) ? this.carried(previous, allowed, source) : this.fromScratch(allowed, source);
    if (mark) cache.put(key, { rows: fresh.rows, allowed, mark }, fresh.rows.byteLength + fresh.rows.ids.byteLength + bytesOfIds(allowed));
    return fresh;
  }

  private fromScratch(allowed: Set<number>, source: VectorSource): { rows: T } & CarryOutcome {
    // In id order: rowids follow (model, image), so neighbouring reads share the index's and the tree's pages.
    const vectors = source.read([...allowed].sort((a, b) => a - b));
    const rows = this.make(source.dim, vectors.length);
    vectors.forEach((v, i) => rows.set(i, v.imageId, v.vector));
    return { rows, carried: 0, read: vectors.length };
  }

  private carried(previous: Built<T>, allowed: Set<number>, source: VectorSource): { rows: T } & CarryOutcome {
    const old = previous.rows;
    const kept: number[] = [];
    for (let r = 0; r < old.rows; r++) if (allowed.has(old.ids[r]!)) kept.push(r);
    // Images allowed before but without a vector still have none: no vector was written since.
    const added = [...allowed].filter((id) => !previous.allowed.has(id));
    const vectors = added.length ? source.read(added.sort((a, b) => a - b)) : [];
    const rows = this.make(source.dim, kept.length + vectors.length);
    kept.forEach((from, to) => rows.copyRow(to, old, from));
    vectors.forEach((v, i) => rows.set(kept.length + i, v.imageId, v.vector));
    return { rows, carried: kept.length, read: vectors.length };
  }
}
