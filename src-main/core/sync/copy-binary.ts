// Rows in PostgreSQL's binary COPY format: no decimal formatting on our side, no parsing on the server's.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FLOAT4_OID = 700;
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

/** Appends tuples field by field; `finish()` returns the complete COPY payload (header, tuples, trailer). */
export class BinaryCopyWriter {
  private buf: Buffer;
  private at = 0;
  rows = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(initialBytes, 64));
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
    if (v === null || v === undefined) return this.null();
    const bytes = 20 + 8 * v.length;
    this.ensure(4 + bytes);
    const b = this.buf;
    let o = this.at;
    b.writeInt32BE(bytes, o);
    b.writeInt32BE(1, o + 4); // dimensions
    b.writeInt32BE(0, o + 8); // no nulls
    b.writeInt32BE(FLOAT4_OID, o + 12);
    b.writeInt32BE(v.length, o + 16);
    b.writeInt32BE(1, o + 20); // lower bound
    o += 24;
    for (let i = 0; i < v.length; i++, o += 8) {
      b.writeInt32BE(4, o);
      const x = v[i]!;
      b.writeFloatBE(Number.isFinite(x) ? x : 0, o + 4);
    }
    this.at = o;
    return this;
  }

  /** pgvector's `vector` (vector_recv's format: int16 size, int16 unused, float4s); non-finite values become 0 as above. */
  pgvector(v: Float32Array | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    if (v.length > 16000) throw new RangeError(`pgvector stores at most 16000 dimensions; this vector has ${v.length}`);
    const bytes = 4 + 4 * v.length;
    this.ensure(4 + bytes);
    const b = this.buf;
    let o = this.at;
    b.writeInt32BE(bytes, o);
    b.writeInt16BE(v.length, o + 4);
    b.writeInt16BE(0, o + 6);
    o += 8;
    for (let i = 0; i < v.length; i++, o += 4) {
      const x = v[i]!;
      b.writeFloatBE(Number.isFinite(x) ? x : 0, o);
    }
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
