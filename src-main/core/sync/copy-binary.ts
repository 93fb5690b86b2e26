// Rows in PostgreSQL's binary COPY format: no decimal formatting on our side, no parsing on the server's.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FLOAT4_OID = 700;
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const FLOAT_EXPONENT = 0x7f800000;

// A Float32Array's bytes are the host's order; the catalogue's vectors are little-endian, as every platform we build for.
if (new Uint8Array(new Float32Array([1]).buffer)[3] !== 0x3f) throw new Error('Sporeprint needs a little-endian host');

const viewOf = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const littleEndianBytes = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
/** A float32's bits, or those of 0 for NaN and the infinities (exponent all ones). */
const finiteBits = (bits: number) => ((bits & FLOAT_EXPONENT) === FLOAT_EXPONENT ? 0 : bits);

/** How many float32 values `bytes` holds; a length that is no whole number of them is refused. */
export function floatCount(bytes: Uint8Array): number {
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`${bytes.byteLength} bytes are not a whole number of float32 values`);
  return bytes.byteLength / 4;
}

/** Appends tuples field by field; `finish()` returns the complete COPY payload (header, tuples, trailer). */
export class BinaryCopyWriter {
  private buf: Buffer;
  /** The same bytes as buf, for the vectors' 32-bit moves. */
  private view: DataView;
  private at = 0;
  rows = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(initialBytes, 64));
    this.view = viewOf(this.buf);
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, 11); // flags
    this.buf.writeInt32BE(0, 15); // header extension length
    this.at = 19;
  }

  private ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = viewOf(next);
  }

  row(fields: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(fields, this.at);
    this.at += 2;
    this.rows++;
    return this;
  }

  private null(): this {
    this.ensure(4);
    this.buf.writeInt32BE(-1, this.at);
    this.at += 4;
    return this;
  }

  text(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    // One pass over the string: room for its longest UTF-8 form (3 bytes per UTF-16 unit), then the length written.
    this.ensure(4 + 3 * value.length);
    const length = this.buf.write(value, this.at + 4, 'utf8');
    this.buf.writeInt32BE(length, this.at);
    this.at += 4 + length;
    return this;
  }

  int4(value: number | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    this.ensure(8);
    this.buf.writeInt32BE(4, this.at);
    this.buf.writeInt32BE(value, this.at + 4);
    this.at += 8;
    return this;
  }

  int8(value: number | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer PostgreSQL can take as bigint here`);
    this.ensure(12);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeBigInt64BE(BigInt(value), this.at + 4);
    this.at += 12;
    return this;
  }

  float4(value: number | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    this.ensure(8);
    this.buf.writeInt32BE(4, this.at);
    this.buf.writeFloatBE(value, this.at + 4);
    this.at += 8;
    return this;
  }

  bool(value: boolean | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    this.ensure(5);
    this.buf.writeInt32BE(1, this.at);
    this.buf[this.at + 4] = value ? 1 : 0;
    this.at += 5;
    return this;
  }

  /** timestamptz from an ISO 8601 string: microseconds since 2000-01-01 UTC (millisecond precision, as JS dates). */
  timestamptz(iso: string | null | undefined): this {
    if (iso === null || iso === undefined) return this.null();
    // A time without a zone is UTC, as the catalogue writes every time (strftime ... 'Z'); JS would read it as local.
    const zoned = /(Z|[+-]\d\d(:?\d\d)?)$/i.test(iso) || !/\d[T ]\d/.test(iso) ? iso : `${iso.replace(' ', 'T')}Z`;
    const ms = Date.parse(zoned);
    if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${iso}`);
    this.ensure(12);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeBigInt64BE(BigInt(ms - POSTGRES_EPOCH_MS) * 1000n, this.at + 4);
    this.at += 12;
    return this;
  }

  /** jsonb: a version byte (1) then the JSON text. */
  jsonb(json: string | null | undefined): this {
    if (json === null || json === undefined) return this.null();
    const length = Buffer.byteLength(json);
    this.ensure(5 + length);
    this.buf.writeInt32BE(length + 1, this.at);
    this.buf[this.at + 4] = 1;
    this.buf.write(json, this.at + 5, length, 'utf8');
    this.at += 5 + length;
    return this;
  }

  /** A one-dimensional real[] (array_recv's format); NaN and infinities become 0, which pgvector would refuse. */
  float4Array(v: Float32Array | null | undefined): this {
    return this.float4ArrayOfBytes(v ? littleEndianBytes(v) : v);
  }

  /**
   * A real[] from float32 values as the catalogue stores them (little-endian bytes, any alignment), written straight
   * into the payload: each value's bits are moved, never read as a number (a float conversion per value was ~8x
   * slower). Non-finite values become 0 as in float4Array.
   */
  float4ArrayOfBytes(bytes: Uint8Array | null | undefined): this {
    if (bytes === null || bytes === undefined) return this.null();
    const n = floatCount(bytes);
    const size = 20 + 8 * n;
    this.ensure(4 + size);
    const out = this.view;
    let o = this.at;
    out.setInt32(o, size);
    out.setInt32(o + 4, 1); // dimensions
    out.setInt32(o + 8, 0); // no nulls
    out.setInt32(o + 12, FLOAT4_OID);
    out.setInt32(o + 16, n);
    out.setInt32(o + 20, 1); // lower bound
    o += 24;
    const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++, o += 8) {
      out.setInt32(o, 4);
      out.setUint32(o + 4, finiteBits(src.getUint32(4 * i, true)));
    }
    this.at = o;
    return this;
  }

  /** pgvector's `vector` (vector_recv's format: int16 size, int16 unused, float4s); non-finite values become 0 as above. */
  pgvector(v: Float32Array | null | undefined): this {
    return this.pgvectorOfBytes(v ? littleEndianBytes(v) : v);
  }

  /** pgvector's `vector` from little-endian float32 bytes, as float4ArrayOfBytes. */
  pgvectorOfBytes(bytes: Uint8Array | null | undefined): this {
    if (bytes === null || bytes === undefined) return this.null();
    const n = floatCount(bytes);
    if (n > 16000) throw new RangeError(`pgvector stores at most 16000 dimensions; this vector has ${n}`);
    const size = 4 + 4 * n;
    this.ensure(4 + size);
    const out = this.view;
    let o = this.at;
    out.setInt32(o, size);
    out.setInt16(o + 4, n);
    out.setInt16(o + 6, 0);
    o += 8;
    const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++, o += 4) out.setUint32(o, finiteBits(src.getUint32(4 * i, true)));
    this.at = o;
    return this;
  }

  finish(): Buffer {
    this.ensure(2);
    this.buf.writeInt16BE(-1, this.at);
    this.at += 2;
    return this.buf.subarray(0, this.at);
  }
}
