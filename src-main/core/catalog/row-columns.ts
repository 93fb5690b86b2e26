// Checked rows for the queries that stream a million of them (export rows, fingerprints): a typeof test per column
// instead of a zod schema, which costs ~2 us a row there (measured: 2.2 s against 0.1 s for 1M 16-column rows). The
// failure is the same INTERNAL error parse-rows.ts throws, naming the query and the column.
import { rowShapeError } from './parse-rows';

const Kind = { Integer: 0, Real: 1, Text: 2, Blob: 3, OneOf: 4, Boolean: 5, Flag: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** A column's type; `T` is what a value that passes is. The checks below switch on `kind` (one call site, fast). */
export interface Column<T> {
  readonly expected: string;
  readonly kind: Kind;
  readonly nullable: boolean;
  readonly values?: ReadonlySet<string>;
  /** Never set: carries T for the row types. */
  readonly __type?: T;
}

export const integer: Column<number> = { expected: 'an integer', kind: Kind.Integer, nullable: false };
export const real: Column<number> = { expected: 'a number', kind: Kind.Real, nullable: false };
export const text: Column<string> = { expected: 'a text', kind: Kind.Text, nullable: false };
export const blob: Column<Buffer> = { expected: 'a blob', kind: Kind.Blob, nullable: false };
/** As PostgreSQL's driver returns a boolean (SQLite has none). */
export const boolean: Column<boolean> = { expected: 'a boolean', kind: Kind.Boolean, nullable: false };
/** SQLite's 0/1 for a boolean column. */
export const flag: Column<0 | 1> = { expected: '0 or 1', kind: Kind.Flag, nullable: false };

export function nullable<T>(column: Column<T>): Column<T | null> {
  return { ...column, expected: `${column.expected} or NULL`, nullable: true } as Column<T | null>;
}

export function oneOf<const V extends readonly string[]>(values: V): Column<V[number]> {
  return { expected: `one of ${values.join(', ')}`, kind: Kind.OneOf, nullable: false, values: new Set(values) };
}

function passes(column: Column<unknown>, v: unknown): boolean {
  if (v === null) return column.nullable;
  switch (column.kind) {
    case Kind.Integer:
      return Number.isInteger(v);
    case Kind.Real:
      return typeof v === 'number';
    case Kind.Text:
      return typeof v === 'string';
    case Kind.Blob:
      return Buffer.isBuffer(v);
    case Kind.OneOf:
      return typeof v === 'string' && column.values!.has(v);
    case Kind.Boolean:
      return typeof v === 'boolean';
    case Kind.Flag:
      return v === 0 || v === 1;
  }
}

type Named = readonly [name: string, column: Column<unknown>];
type ValueOf<C> = C extends Column<infer T> ? T : never;
export type RawRow<C extends readonly Named[]> = { -readonly [K in keyof C]: ValueOf<C[K][1]> };
export type ObjectRow<S extends Record<string, Column<unknown>>> = { -readonly [K in keyof S]: ValueOf<S[K]> };

function describe(value: unknown): string {
  if (value === null) return 'NULL';
  return Buffer.isBuffer(value) ? 'a blob' : `${typeof value} ${String(value).slice(0, 40)}`;
}

/** A checker for `.raw()` rows: the columns in SELECT order, each with its name for the error. */
export function rawRowChecker<const C extends readonly Named[]>(what: string, columns: C): (row: unknown) => RawRow<C> {
  const names = columns.map(([name]) => name);
  const kinds = columns.map(([, column]) => column);
  return (row) => {
    if (!Array.isArray(row) || row.length !== columns.length)
      throw rowShapeError(what, '', `expected ${columns.length} columns, received ${Array.isArray(row) ? row.length : typeof row}`);
    for (let i = 0; i < kinds.length; i++)
      if (!passes(kinds[i]!, row[i])) throw rowShapeError(what, names[i]!, `expected ${kinds[i]!.expected}, received ${describe(row[i])}`);
    return row as RawRow<C>;
  };
}

/** A checker for rows read as objects. */
export function objectRowChecker<const S extends Record<string, Column<unknown>>>(what: string, shape: S): (row: unknown) => ObjectRow<S> {
  const entries = Object.entries(shape);
  return (row) => {
    if (typeof row !== 'object' || row === null) throw rowShapeError(what, '', `expected a row, received ${describe(row)}`);
    const record = row as Record<string, unknown>;
    for (const [name, column] of entries)
      if (!passes(column, record[name])) throw rowShapeError(what, name, `expected ${column.expected}, received ${describe(record[name])}`);
    return record as ObjectRow<S>;
  };
}
