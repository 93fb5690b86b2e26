// Range headers of the original route: one range served (206), an unsatisfiable one 416, anything odd answered whole;
// an original's id is a positive integer and nothing else.
import { describe, expect, it } from 'vitest';
import { parseByteRange, parseOriginalId } from '../../../src-main/server/byte-range';

describe('parseByteRange', () => {
  it('reads a start-end, an open-ended and a suffix range, clamped to the file', () => {
    expect(parseByteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
  });

  it('answers 416 for a range past the end, whole for no or several ranges', () => {
    expect(parseByteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=5-2', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseByteRange(undefined, 1000)).toBeNull();
    expect(parseByteRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(parseByteRange('items=0-1', 1000)).toBeNull();
  });
});

describe('parseOriginalId', () => {
  it('takes a positive integer only, never a path', () => {
    expect(parseOriginalId('12')).toBe(12);
    for (const rest of ['0', '-1', '01', '1.5', '1/2', '../catalog.db', '/etc/passwd', '', '12 ', '9'.repeat(16)])
      expect(parseOriginalId(rest), rest).toBeNull();
  });
});
