// Loads the WebAssembly join kernel (hamming-kernel.wat) and lays one chunk's sorted sides out in its memory.
import { HAMMING_KERNEL_WASM } from './hamming-kernel-binary';

interface KernelExports {
  reset(): void;
  finished(): number;
  join(
    aOffsets: number,
    aValues: number,
    aValueCount: number,
    aHashes: number,
    bOffsets: number,
    bHashes: number,
    masks: number,
    maskCount: number,
    self: number,
    threshold: number,
    out: number,
    capacity: number,
  ): number;
}

/** One side of a join, sorted by a chunk: CSR bucket offsets, the non-empty bucket values and the hashes. */
export interface KernelSide {
  offsets: Uint32Array;
  values: Uint32Array;
  /** Two words per hash, lo then hi (a little-endian u64). */
  hashes: Uint32Array;
}

const compiled = new WebAssembly.Module(Buffer.from(HAMMING_KERNEL_WASM, 'base64'));
const PAGE = 65536;
const MAX_MEMORY_BYTES = 65536 * PAGE;
/** Hits (three u32 each) collected per kernel call; at least one right bucket is always added. */
const OUT_HITS = 1 << 16;

function largestBucket(offsets: Uint32Array): number {
  let max = 0;
  for (let v = 0; v + 1 < offsets.length; v++) max = Math.max(max, offsets[v + 1]! - offsets[v]!);
  return max;
}

/**
 * Pairs bucket v of `a` with bucket v ^ mask of `b` for every mask, calling `hit(i, j, distance)` with the
 * positions of every pair within the threshold. `b` null: `a` joined with itself, each pair once.
 */
export function joinSortedSides(
  a: KernelSide,
  b: KernelSide | null,
  masks: Uint32Array,
  threshold: number,
  hit: (i: number, j: number, distance: number) => void,
): void {
  const capacity = Math.max(OUT_HITS, largestBucket((b ?? a).offsets));
  // Every array at an 8-byte aligned byte offset in one memory.
  let end = 0;
  const place = (bytes: number) => {
    const at = end;
    end += Math.ceil(bytes / 8) * 8;
    return at;
  };
  const at = {
    aOffsets: place(a.offsets.byteLength),
    aValues: place(a.values.byteLength),
    aHashes: place(a.hashes.byteLength),
    masks: place(masks.byteLength),
    out: place(capacity * 12),
    bOffsets: b ? place(b.offsets.byteLength) : 0,
    bHashes: b ? place(b.hashes.byteLength) : 0,
  };
  // The kernel addresses memory with 32-bit offsets: about 250M hashes a side.
  if (end > MAX_MEMORY_BYTES) throw new RangeError(`a Hamming join of this size needs ${end} bytes; the kernel addresses at most 4 GiB`);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(end / PAGE) });
  const kernel = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as KernelExports;
  const words = new Uint32Array(memory.buffer);
  words.set(a.offsets, at.aOffsets / 4);
  words.set(a.values, at.aValues / 4);
  words.set(a.hashes, at.aHashes / 4);
  words.set(masks, at.masks / 4);
  if (b) {
    words.set(b.offsets, at.bOffsets / 4);
    words.set(b.hashes, at.bHashes / 4);
  }
  const [bOffsets, bHashes] = b ? [at.bOffsets, at.bHashes] : [at.aOffsets, at.aHashes];
  kernel.reset();
  do {
    const hits = kernel.join(
      at.aOffsets,
      at.aValues,
      a.values.length,
      at.aHashes,
      bOffsets,
      bHashes,
      at.masks,
      masks.length,
      b ? 0 : 1,
      threshold,
      at.out,
      capacity,
    );
    for (let h = 0, p = at.out / 4; h < hits; h++, p += 3) hit(words[p]!, words[p + 1]!, words[p + 2]!);
  } while (!kernel.finished());
}
