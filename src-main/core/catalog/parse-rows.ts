// Database rows become typed values here, parsed once by a zod schema at the query that reads them, instead of an
// unchecked `as` cast: a column renamed, a NULL where none was expected or an unknown enum value is a clear INTERNAL
// error naming the query, not a wrong value travelling on.
import * as z from 'zod';
import { SporeprintError } from '../errors';

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw rowShapeError(what, issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
}

/** The one error every row check throws (here and in row-columns.ts). */
export function rowShapeError(what: string, where: string, reason: string): SporeprintError {
  return new SporeprintError(
    'INTERNAL',
    `the catalogue's ${what} row does not have the expected shape${where ? ` at ${where}` : ''}: ${reason}`,
  );
}

/** One row (or undefined when the query found none). */
export function parseRow<S extends z.ZodType>(schema: S, row: unknown, what: string): z.output<S> | undefined {
  return row === undefined ? undefined : parseOrThrow(schema, row, what);
}

export function parseRows<S extends z.ZodType>(schema: S, rows: unknown[], what: string): z.output<S>[] {
  return rows.map((row) => parseOrThrow(schema, row, what));
}

/** A `count(*)` or other whole number read with `.pluck()`. */
export function parseCount(value: unknown, what: string): number {
  return parseOrThrow(z.number().int().min(0), value, what);
}

/** An id read with `.pluck()`, or undefined when there was none. */
export function parseOptionalId(value: unknown, what: string): number | undefined {
  return value === undefined ? undefined : parseOrThrow(z.number().int(), value, what);
}

/** A nullable whole number read with `.pluck()` (`max(id)`, a looked-up id), or undefined when no row matched. */
export function parseOptionalNumber(value: unknown, what: string): number | null | undefined {
  return value === undefined ? undefined : parseOrThrow(z.number().nullable(), value, what);
}

/** A text read with `.pluck()`, or undefined when there was none. */
export function parseOptionalText(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : parseOrThrow(z.string(), value, what);
}

/**
 * Ids read with `.pluck().all()`. A plain loop rather than a zod array: a filter may return a million ids, and this
 * check costs a few nanoseconds each.
 */
export function parseIds(values: unknown[], what: string): number[] {
  for (let i = 0; i < values.length; i++)
    if (!Number.isInteger(values[i])) throw rowShapeError(what, String(i), `expected an integer id, received ${typeof values[i]}`);
  return values as number[];
}

/** Texts read with `.pluck().all()` (paths, taxa). */
export function parseTexts(values: unknown[], what: string): string[] {
  for (let i = 0; i < values.length; i++)
    if (typeof values[i] !== 'string') throw rowShapeError(what, String(i), `expected a text, received ${typeof values[i]}`);
  return values as string[];
}

/** A JSON text column (evidence, snapshots, claims), parsed and checked; `what` names the table and column. */
export function parseJsonColumn<S extends z.ZodType>(schema: S, json: string, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw rowShapeError(what, '', `not JSON: ${json.slice(0, 80)}`);
  }
  return parseOrThrow(schema, value, what);
}

/** SQLite's 0/1 for a boolean column. */
export const sqliteBoolean = z.union([z.literal(0), z.literal(1)]);
