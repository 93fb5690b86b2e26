// Database rows become typed values here, parsed once by a zod schema at the query that reads them, instead of an
// unchecked `as` cast: a column renamed, a NULL where none was expected or an unknown enum value is a clear INTERNAL
// error naming the query, not a wrong value travelling on.
import { z } from 'zod';
import { SporeprintError } from '../errors';

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new SporeprintError(
    'INTERNAL',
    `the catalogue's ${what} row does not have the expected shape${where}: ${issue?.message ?? 'invalid'}`,
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

/** SQLite's 0/1 for a boolean column. */
export const sqliteBoolean = z.union([z.literal(0), z.literal(1)]);
