// The binary COPY encoder against the format's definition (header, tuples, NULLs, arrays, timestamps, jsonb, trailer).
import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter } from '../../../../src-main/core/sync/copy-binary';

describe('binary COPY writer', () => {
  it('writes the signature, one tuple per row with NULLs as length -1, and the -1 trailer', () => {
    const out = new BinaryCopyWriter(8).row(3).text('é').int4(null).bool(true).finish();
    expect(out.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(out.readInt32BE(11)).toBe(0);
    expect(out.readInt32BE(15)).toBe(0);
    let at = 19;
    expect(out.readInt16BE(at)).toBe(3);
    expect(out.readInt32BE((at += 2))).toBe(2); // 'é' is two UTF-8 bytes
    expect(out.subarray(at + 4, at + 6).toString('utf8')).toBe('é');
    expect(out.readInt32BE((at += 6))).toBe(-1);
    expect(out.readInt32BE((at += 4))).toBe(1);
    expect(out[at + 4]).toBe(1);
    expect(out.readInt16BE((at += 5))).toBe(-1);
    expect(out.length).toBe(at + 2);
  });

  it('encodes real[] as array_recv reads it, replacing non-finite values with 0', () => {
    const out = new BinaryCopyWriter()
      .row(1)
      .float4Array(new Float32Array([1.5, Number.NaN]))
      .finish();
    const at = 21;
    expect(out.readInt32BE(at)).toBe(20 + 16);
    expect([
      out.readInt32BE(at + 4),
      out.readInt32BE(at + 8),
      out.readInt32BE(at + 12),
      out.readInt32BE(at + 16),
      out.readInt32BE(at + 20),
    ]).toEqual([1, 0, 700, 2, 1]);
    expect(out.readInt32BE(at + 24)).toBe(4);
    expect(out.readFloatBE(at + 28)).toBe(1.5);
    expect(out.readFloatBE(at + 36)).toBe(0);
  });

  it('writes vectors from stored little-endian bytes at any alignment, bit for bit, non-finite values as 0', () => {
    const values = new Float32Array([-0, 1e-45, -3.4028234663852886e38, 1.1754943508222875e-38, Number.NaN, Number.NEGATIVE_INFINITY, 0.1]);
    // Odd offset: the bytes of a blob need not be 4-byte aligned.
    const stored = Buffer.alloc(1 + values.byteLength).fill(0xaa);
    Buffer.from(values.buffer).copy(stored, 1);
    const bytes = stored.subarray(1);
    const fromBytes = new BinaryCopyWriter(8).row(2).float4ArrayOfBytes(bytes).pgvectorOfBytes(bytes).finish();
    expect(fromBytes.equals(new BinaryCopyWriter(8).row(2).float4Array(values).pgvector(values).finish())).toBe(true);
    const bits = (at: number, n: number, step: number) =>
      Array.from({ length: n }, (_, i) => fromBytes.readUInt32BE(at + i * step).toString(16));
    const expected = ['80000000', '1', 'ff7fffff', '800000', '0', '0', '3dcccccd'];
    expect(bits(21 + 24 + 4, 7, 8)).toEqual(expected); // real[]: a length before each value
    expect(bits(21 + 4 + 20 + 56 + 8, 7, 4)).toEqual(expected); // vector: the values back to back
    expect(() => new BinaryCopyWriter().row(1).float4ArrayOfBytes(Buffer.alloc(6))).toThrow(/not a whole number of float32/);
  });

  it('encodes timestamptz as microseconds since 2000 and jsonb with its version byte; grows past its first buffer', () => {
    const w = new BinaryCopyWriter(64).row(2).timestamptz('2000-01-02T00:00:00.000Z').jsonb('{"a":1}');
    for (let i = 0; i < 100; i++) w.row(1).int8(2 ** 40 + i);
    const out = w.finish();
    expect(out.readBigInt64BE(21 + 4)).toBe(86_400_000_000n);
    expect(out.readInt32BE(33)).toBe(8);
    expect(out[37]).toBe(1);
    expect(out.subarray(38, 45).toString()).toBe('{"a":1}');
    expect(w.rows).toBe(101);
    expect(() => new BinaryCopyWriter().row(1).timestamptz('yesterday')).toThrow(/not a timestamp/);
    expect(() => new BinaryCopyWriter().row(1).int8(0.5)).toThrow(/not an integer/);
  });

  it('encodes pgvector as vector_recv reads it: int16 size, int16 zero, float4s; refuses more than 16000 dimensions', () => {
    const out = new BinaryCopyWriter()
      .row(1)
      .pgvector(new Float32Array([0.25, Number.POSITIVE_INFINITY, -2]))
      .finish();
    const at = 21;
    expect(out.readInt32BE(at)).toBe(4 + 12);
    expect(out.readInt16BE(at + 4)).toBe(3);
    expect(out.readInt16BE(at + 6)).toBe(0);
    expect([out.readFloatBE(at + 8), out.readFloatBE(at + 12), out.readFloatBE(at + 16)]).toEqual([0.25, 0, -2]);
    expect(out.readInt16BE(at + 20)).toBe(-1);
    expect(() => new BinaryCopyWriter().row(1).pgvector(new Float32Array(16001))).toThrow(/at most 16000/);
  });

  it('reads a time without a zone as UTC, as the catalogue writes every time', () => {
    const micros = (iso: string) => new BinaryCopyWriter().row(1).timestamptz(iso).finish().readBigInt64BE(25);
    expect(micros('2000-01-02 00:00:00')).toBe(86_400_000_000n);
    expect(micros('2000-01-02T00:00:00.000')).toBe(86_400_000_000n);
    expect(micros('2000-01-02T01:00:00+01:00')).toBe(86_400_000_000n);
  });
});
