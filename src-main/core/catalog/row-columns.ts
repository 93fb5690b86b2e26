// Checked rows for the queries that stream a million of them (export rows, fingerprints): a typeof test per column
// instead of a zod schema, which costs ~2 us a row there (measured: 2.2 s against 0.1 s for 1M 16-column rows). The
// failure is the same INTERNAL error parse-rows.ts throws, naming the query and the column.
import { rowShapeError } from './parse-rows';

export interface Column<T> {
  readonly expected: string;
  is(value: unknown): value is T;
}

export const integer: Column<number> = { expected: 'an integer', is: (v): v is number => Number.isInteger(v) };
export const real: Column<number> = { expected: 'a number', is: (v): v is number => typeof v === 'number' };
export const text: Column<string> = { expected: 'a text', is: (v): v is string => typeof v === 'string' };
export const blob: Column<Buffer> = { expected: 'a blob', is: (v): v is Buffer => Buffer.isBuffer(v) };

export function nullable<T>(column: Column<T>): Column<T | null> {
  return { expected: `${column.expected} or NULL`, is: (v): v is T | null => v === null || column.is(v) };
}

export function oneOf<const V extends readonly string[]>(values: V): Column<V[number]> {
  return { expected: `one of ${values.join(', ')}`, is: (v): v is V[number] => typeof v === 'string' && values.includes(v) };
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
  return (row) => {
    if (!Array.isArray(row) || row.length !== columns.length)
      throw rowShapeError(what, '', `expected ${columns.length} columns, received ${Array.isArray(row) ? row.length : typeof row}`);
    for (let i = 0; i < columns.length; i++) {
      const [name, column] = columns[i]!;
      if (!column.is(row[i])) throw rowShapeError(what, name, `expected ${column.expected}, received ${describe(row[i])}`);
    }
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
      if (!column.is(record[name])) throw rowShapeError(what, name, `expected ${column.expected}, received ${describe(record[name])}`);
    return record as ObjectRow<S>;
  };
}
