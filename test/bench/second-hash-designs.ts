// Candidate second hashes per fingerprint target (issue 19 part 2, "more bits per target"): each design reads the
// same window as the target's pHash and returns 64 more bits, so a target could become a 128-bit key. Studied by
// duplicates-candidate-rules.ts; the last is the product's edge hash (edge-hash.ts, fingerprint v5), called here.
import { renderDerivativeLadder } from '../../src-main/core/imaging/derivatives';
import { dihedralPictures, edgeHash } from '../../src-main/core/imaging/edge-hash';
import { targetPictures } from '../../src-main/core/imaging/fingerprint';
import { decodeLikeIngest } from '../fixtures/fingerprint-of';
import { seededRandom } from '../fixtures/synthetic-photos';

/** 8 dihedral hashes of the whole picture and one hash per target, each as (hi, lo) words, for one design. */
export interface SecondHashes {
  dihedral: Uint32Array;
  targets: Uint32Array;
}

interface Design {
  name: string;
  /** Side of the grey window picture the design reads. */
  side: number;
  hash: (picture: Float64Array, side: number) => Uint32Array;
}

/** The k x k lowest-frequency block of the 2-D DCT-II of an n x n picture (row-major: v * k + u). */
function dctBlock(picture: Float64Array, n: number, k: number): Float64Array {
  const cos = new Float64Array(k * n);
  for (let u = 0; u < k; u++) for (let x = 0; x < n; x++) cos[u * n + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  const rows = new Float64Array(n * k);
  for (let y = 0; y < n; y++)
    for (let u = 0; u < k; u++) {
      let s = 0;
      for (let x = 0; x < n; x++) s += picture[y * n + x]! * cos[u * n + x]!;
      rows[y * k + u] = s;
    }
  const out = new Float64Array(k * k);
  for (let v = 0; v < k; v++)
    for (let u = 0; u < k; u++) {
      let s = 0;
      for (let y = 0; y < n; y++) s += rows[y * k + u]! * cos[v * n + y]!;
      out[v * k + u] = s;
    }
  return out;
}

/** 64 values to 64 bits: set where a value exceeds their median (pHash's rule). */
function medianBits(values: ArrayLike<number>): Uint32Array {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  return signBits(Array.from(values, (v) => v - median));
}

function signBits(values: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(2);
  for (let i = 0; i < 64; i++) if (values[i]! > 0) out[i >> 5] = (out[i >> 5]! | (1 << (31 - (i & 31)))) >>> 0;
  return out;
}

/** The 64 lowest frequencies outside the 8x8 pHash block, by u + v, then |u - v|, then u (a 16x16 block suffices). */
const RING = (() => {
  const cells: [number, number][] = [];
  for (let v = 0; v < 16; v++) for (let u = 0; u < 16; u++) if (u >= 8 || v >= 8) cells.push([u, v]);
  cells.sort((a, b) => a[0] + a[1] - (b[0] + b[1]) || Math.abs(a[0] - a[1]) - Math.abs(b[0] - b[1]) || a[0] - b[0]);
  return cells.slice(0, 64).map(([u, v]) => v * 16 + u);
})();

/** Fixed pseudo-random Gaussian directions (mulberry32, seed 19) for the SimHash design. */
const PROJECTIONS = (() => {
  const random = seededRandom(19);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: 64 }, () => Float64Array.from({ length: 255 }, gauss));
})();

export const SECOND_HASH_DESIGNS: readonly Design[] = [
  {
    // The next DCT band: frequencies 8-15 both ways, beside pHash's 0-7.
    name: 'DCT band 8-15',
    side: 32,
    hash: (p, n) => {
      const block = dctBlock(p, n, 16);
      const values: number[] = [];
      for (let v = 8; v < 16; v++) for (let u = 8; u < 16; u++) values.push(block[v * 16 + u]!);
      return medianBits(values);
    },
  },
  {
    // The 64 frequencies just past pHash's block (max(u, v) 8-10 and a few at 11).
    name: 'DCT ring past 8x8',
    side: 32,
    hash: (p, n) => {
      const block = dctBlock(p, n, 16);
      return medianBits(RING.map((i) => block[i]!));
    },
  },
  {
    // The same ring from a 64 px window: less aliasing at those frequencies.
    name: 'DCT ring, 64 px window',
    side: 64,
    hash: (p, n) => {
      const block = dctBlock(p, n, 16);
      return medianBits(RING.map((i) => block[i]!));
    },
  },
  {
    // SimHash of the 16x16 DCT block (DC left out): the angle between coefficient vectors, magnitudes included.
    name: 'SimHash of 16x16 DCT',
    side: 32,
    hash: (p, n) => {
      const block = dctBlock(p, n, 16);
      return signBits(PROJECTIONS.map((w) => w.reduce((s, wi, i) => s + wi * block[i + 1]!, 0)));
    },
  },
  {
    // Centre-surround on the 8x8 grid of block means: is each block brighter than its 4 neighbours' mean?
    name: 'block vs neighbours (8x8)',
    side: 32,
    hash: (p, n) => {
      const cell = n / 8;
      const m = new Float64Array(64);
      for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) m[Math.floor(y / cell) * 8 + Math.floor(x / cell)]! += p[y * n + x]!;
      const at = (x: number, y: number) => m[Math.min(7, Math.max(0, y)) * 8 + Math.min(7, Math.max(0, x))]!;
      const values: number[] = [];
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) values.push(at(x, y) - (at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1)) / 4);
      return signBits(values);
    },
  },
  {
    // pHash of a differently filtered rendition: the gradient magnitude of the 64 px window (where the edges are).
    name: 'pHash of gradient magnitude',
    side: 64,
    hash: (p) => edgeHash(p),
  },
];

/** Every design's second hashes of one encoded image, decoded as ingest does. */
export async function secondHashesOfBytes(bytes: Buffer): Promise<SecondHashes[]> {
  const small = (await renderDerivativeLadder(await decodeLikeIngest(bytes))).small;
  const bySide = new Map<number, ReturnType<typeof targetPictures>>();
  return SECOND_HASH_DESIGNS.map((design) => {
    const pictures = bySide.get(design.side) ?? bySide.set(design.side, targetPictures(small, design.side)).get(design.side)!;
    const words = (list: Float64Array[]) => {
      const out = new Uint32Array(list.length * 2);
      list.forEach((p, i) => out.set(design.hash(p, design.side), 2 * i));
      return out;
    };
    return { dihedral: words(dihedralPictures(pictures.whole, design.side)), targets: words(pictures.targets) };
  });
}
