// Array parameters for batched statements: text literals built in one pass, and float4 arrays in binary.
// pg's generic array serialiser escapes every element through regexes; at 5,000 rows x 27 columns per batch
// that alone cost a fifth of the push, and 512-d vectors as decimal text dominated it entirely.

/** A PostgreSQL array literal of text values; null becomes NULL. */
export function textArray(values: readonly (string | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else parts[i] = `"${v.includes('\\') || v.includes('"') ? v.replace(/[\\"]/g, '\\$&') : v}"`;
  }
  return `{${parts.join(',')}}`;
}

/** A PostgreSQL array literal of numbers (or booleans); null becomes NULL. */
export function scalarArray(values: readonly (number | boolean | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'boolean') parts[i] = v ? 't' : 'f';
    else if (!Number.isFinite(v)) throw new Error(`cannot send ${v} to PostgreSQL`);
    else parts[i] = String(v);
  }
  return `{${parts.join(',')}}`;
}

const FLOAT4_OID = 700;

/**
 * The binary wire form of a one-dimensional real[] holding all vectors back to back. A Buffer parameter is sent
 * in binary format by pg, and the server reads it with array_recv: no decimal formatting or parsing at all.
 */
export function float4ArrayBinary(vectors: readonly Float32Array[]): Buffer {
  const count = vectors.reduce((n, v) => n + v.length, 0);
  const out = Buffer.allocUnsafe(20 + 8 * count);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(0, 4); // no nulls
  out.writeInt32BE(FLOAT4_OID, 8);
  out.writeInt32BE(count, 12);
  out.writeInt32BE(1, 16); // lower bound
  let offset = 20;
  for (const v of vectors) {
    for (let i = 0; i < v.length; i++) {
      out.writeInt32BE(4, offset);
      out.writeFloatBE(Number.isFinite(v[i]!) ? v[i]! : 0, offset + 4);
      offset += 8;
    }
  }
  return out;
}
