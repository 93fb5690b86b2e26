// Array parameters: text literals with quoting, scalar literals, and the binary real[] wire format.
import { describe, expect, it } from 'vitest';
import { float4ArrayBinary, scalarArray, textArray } from '../../../../src-main/core/sync/pg-arrays';

describe('array parameters', () => {
  it('quotes text and escapes backslashes and double quotes; null is NULL', () => {
    expect(textArray(['a', null, 'say "hi"', 'C:\\x', '{,}', ''])).toBe('{"a",NULL,"say \\"hi\\"","C:\\\\x","{,}",""}');
  });

  it('writes numbers and booleans, and refuses non-finite numbers', () => {
    expect(scalarArray([1, 2.5, null, true, false])).toBe('{1,2.5,NULL,t,f}');
    expect(() => scalarArray([Number.NaN])).toThrow(/cannot send NaN/);
  });

  it('encodes vectors back to back as a one-dimensional float4 array in network byte order', () => {
    const a = Float32Array.from([0.5, -1.25, 3]);
    const b = Float32Array.from([Number.NaN, 7, Number.POSITIVE_INFINITY]);
    const buf = float4ArrayBinary([a, b]);
    expect(buf.length).toBe(20 + 8 * 6);
    expect([0, 4, 8, 12, 16].map((o) => buf.readInt32BE(o))).toEqual([1, 0, 700, 6, 1]);
    const values: number[] = [];
    for (let k = 0; k < 6; k++) {
      expect(buf.readInt32BE(20 + 8 * k)).toBe(4);
      values.push(buf.readFloatBE(24 + 8 * k));
    }
    // Non-finite components become 0 (pgvector refuses them).
    expect(values).toEqual([0.5, -1.25, 3, 0, 7, 0]);
  });
});
