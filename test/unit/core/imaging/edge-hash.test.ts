// The edge hash (fingerprint v5): its flips and quarter turns, its indifference to tone, and that it tells apart
// two pictures whose tones are laid out alike but whose edges are not.
import { describe, expect, it } from 'vitest';
import { dihedralEdgeHashes, dihedralPictures, edgeHash, EDGE_INPUT_SIZE } from '../../../../src-main/core/imaging/edge-hash';
import { hamming64 } from '../../../../src-main/core/duplicates/popcount';
import { seededRandom } from '../../../fixtures/synthetic-photos';

const n = EDGE_INPUT_SIZE;
const distance = (a: Uint32Array, b: Uint32Array) => hamming64(a[0]!, a[1]!, b[0]!, b[1]!);

/** A pale disc on a dark ground, with texture of `grain` (a different seed scatters it elsewhere). */
function capOnLitter(seed: number, grain: number, cx = 0.45, cy = 0.55): Float64Array {
  const rnd = seededRandom(seed);
  const texture = Array.from({ length: 64 }, () => [rnd() * n, rnd() * n, 2 + rnd() * 4] as const);
  return Float64Array.from({ length: n * n }, (_, i) => {
    const x = i % n;
    const y = Math.floor(i / n);
    const cap = Math.hypot(x - cx * n, y - cy * n) < 0.3 * n ? 200 : 50;
    const spots = texture.reduce((s, [tx, ty, r]) => s + (Math.hypot(x - tx, y - ty) < r ? grain : 0), 0);
    return cap + spots;
  });
}

describe('edge hash', () => {
  it('gives the hashes of the flipped and turned picture, in the order of the pHash dihedral blocks', () => {
    const picture = capOnLitter(1, 40);
    const dihedral = dihedralEdgeHashes(picture);
    const direct = dihedralPictures(picture, n).map(edgeHash);
    direct.forEach((h, j) => expect(Array.from(dihedral.subarray(2 * j, 2 * j + 2))).toEqual(Array.from(h)));
    // Not all equal: the picture is not symmetric, so the transforms matter.
    expect(new Set(direct.map((h) => `${h[0]}:${h[1]}`)).size).toBeGreaterThan(1);
  });

  it('ignores brightness and contrast (the gradient scales, the median rule does not see scale)', () => {
    const picture = capOnLitter(2, 40);
    expect(distance(edgeHash(picture), edgeHash(picture.map((v) => 0.6 * v + 30)))).toBe(0);
  });

  it('separates two pictures with the same tonal layout whose texture lies elsewhere', () => {
    const a = edgeHash(capOnLitter(3, 60));
    const b = edgeHash(capOnLitter(4, 60));
    expect(distance(a, b)).toBeGreaterThan(16);
    // and a slightly noisier rendering of the same picture stays close
    const rnd = seededRandom(5);
    expect(distance(a, edgeHash(capOnLitter(3, 60).map((v) => v + rnd() * 4)))).toBeLessThanOrEqual(8);
  });

  it('refuses a picture of the wrong size', () => {
    expect(() => edgeHash(new Float64Array(32 * 32))).toThrow(/64x64/);
  });
});
