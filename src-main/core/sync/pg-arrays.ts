// Array parameters for batched statements: text literals built in one pass, and float4 arrays in binary.
// pg's generic array serialiser escapes every element through regexes; at 5,000 rows x 27 columns per batch
// that alone cost a fifth of the push, and 512-d vectors as decimal text dominated it entirely.
import os from 'node:os';

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
const LITTLE_ENDIAN = os.endianness() === 'LE';
/** The element length 4 as a big-endian int32, read back as a little-endian word. */
const ELEMENT_LENGTH_WORD = 0x04000000;

function allFinite(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/**
 * The binary wire form of a one-dimensional real[] holding all vectors back to back. A Buffer parameter is sent
 * in binary format by pg, and the server reads it with array_recv: no decimal formatting or parsing at all.
 */
export function float4ArrayBinary(vectors: readonly Float32Array[]): Buffer {
  const count = vectors.reduce((n, v) => n + v.length, 0);
  // A fresh ArrayBuffer, so 32-bit views are aligned (the header is 20 bytes and each element 8).
  const out = Buffer.from(new ArrayBuffer(20 + 8 * count));
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(0, 4); // no nulls
  out.writeInt32BE(FLOAT4_OID, 8);
  out.writeInt32BE(count, 12);
  out.writeInt32BE(1, 16); // lower bound
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength / 4);
  let word = 5;
  let offset = 20;
  for (const v of vectors) {
    if (LITTLE_ENDIAN && allFinite(v)) {
      // Byte-swap whole words straight from the float32 storage: far faster than writeFloatBE per element.
      const bits = new Uint32Array(v.buffer, v.byteOffset, v.length);
      for (let i = 0; i < bits.length; i++, word += 2) {
        const x = bits[i]!;
        words[word] = ELEMENT_LENGTH_WORD;
        words[word + 1] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
      }
      offset = word * 4;
    } else {
      // pgvector refuses NaN and infinities; a broken component becomes 0 rather than failing the batch.
      for (let i = 0; i < v.length; i++, offset += 8) {
        out.writeInt32BE(4, offset);
        out.writeFloatBE(Number.isFinite(v[i]!) ? v[i]! : 0, offset + 4);
      }
      word = offset / 4;
    }
  }
  return out;
}
