// One byte range of a Range header (`bytes=a-b`, `bytes=a-`, `bytes=-n`), so a large original streams and seeks.
// Several ranges in one header are answered whole (a multipart reply buys an image viewer nothing).

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** null: no usable Range header (send everything); 'unsatisfiable': 416. `end` is inclusive. */
export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** An original's id from the rest of its route (`<id>`): a positive integer and nothing else, never a path. */
export function parseOriginalId(rest: string): number | null {
  return /^[1-9][0-9]{0,14}$/.test(rest) ? Number(rest) : null;
}
