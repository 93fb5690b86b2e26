// A search filter's scan rows (packed float32 or int8 vectors of the images it allows), carried over catalogue
// changes that wrote no vector. Built from scratch they read every allowed image's vector from SQLite: at 1M images
// ~18 us of CPU each since migration 021 (~80 before), 1.8 s for a 10 % filter, and any write (one label decision)
// made the next search pay it again. Carried, the rows of images still allowed are copied in memory and only images
// newly allowed are read.
import type { Db } from '../catalog/database';
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

/** Scan rows as built, with what the next build needs to carry from them. */
export interface BuiltScanRows<T> extends CarryOutcome {
  rows: T;
  /** The allowed ids the rows were built for (those without a vector have no row). */
  allowed: Set<number>;
  /** Where the vectors stood, or null where that cannot be told (inside a transaction): then never carried from. */
  mark: VectorMark | null;
}

/** How a build went: rows carried from the previous build, vectors read from the catalogue. */
export interface CarryOutcome {
  carried: number;
  read: number;
}

/** Bytes a build holds: the rows, their ids and the allowed set (also counted with the allowed ids: an upper bound). */
export const bytesOfScanRows = (built: BuiltScanRows<ScanRows>): number =>
  built.rows.byteLength + built.rows.ids.byteLength + bytesOfIds(built.allowed);

/** Scan rows of one kind, built from scratch or carried from the previous build of the same filter. */
export class CarriedScanRows<T extends ScanRows> {
  constructor(private readonly make: (dim: number, rows: number) => T) {}

  /**
   * Rows for the images `allowed` that have a vector: `previous` (the last build for the same model and filter, kept
   * by the version cache) where it can be trusted, else read.
   */
  build(db: Db, previous: BuiltScanRows<T> | undefined, allowed: Set<number>, source: VectorSource): BuiltScanRows<T> {
    const mark = vectorMark(db);
    const fresh =
      previous?.mark && mark && sameVectors(previous.mark, mark)
        ? this.carried(previous, allowed, source)
        : this.fromScratch(allowed, source);
    return { ...fresh, allowed, mark };
  }

  private fromScratch(allowed: Set<number>, source: VectorSource): { rows: T } & CarryOutcome {
    // In id order: rowids follow (model, image), so neighbouring reads share the index's and the tree's pages.
    const vectors = source.read([...allowed].sort((a, b) => a - b));
    const rows = this.make(source.dim, vectors.length);
    vectors.forEach((v, i) => rows.set(i, v.imageId, v.vector));
    return { rows, carried: 0, read: vectors.length };
  }

  private carried(previous: BuiltScanRows<T>, allowed: Set<number>, source: VectorSource): { rows: T } & CarryOutcome {
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
