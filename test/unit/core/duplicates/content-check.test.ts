// The content check that confirms candidate pairs: symmetric, refuses look-alikes (two shots of one scene, two views
// of one specimen), accepts copies under rotation, mirror, off-centre crops and overlays, and explains its match.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DUPLICATE_THRESHOLD,
  UPRIGHT_KEY_THRESHOLD,
  UPRIGHT_WHOLE_MARGIN,
  WHOLE_PICTURE_MARGIN,
} from '../../../../src-shared/defaults';
import { confirmPair, CONTENT_RULES, type PairSubject } from '../../../../src-main/core/duplicates/confirm-candidates';
import {
  contentOnlyGate,
  offCentreDistance,
  uprightEdgeDistance,
  uprightWholeDistance,
} from '../../../../src-main/core/duplicates/content-only-gate';
import { edgeKeyAgrees, fingerprintDistance, wholePictureDistance } from '../../../../src-main/core/duplicates/fingerprint-distance';
import { encodeMatchThumbnail, parseMatchThumbnail } from '../../../../src-main/core/imaging/match-thumbnail';
import { checkContent } from '../../../../src-main/core/duplicates/verify/verify-pair';
import { pairSubjectOfBytes } from '../../../fixtures/fingerprint-of';
import { makeHardVariant, type HardVariant } from '../../../fixtures/hard-variants';
import { hasSharedData, sharedDataPath } from '../../../fixtures/shared-data';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { makeVariant } from '../../../fixtures/variants';

const T = DEFAULT_DUPLICATE_THRESHOLD;
const photo = (code: string, n: 0 | 1) => readFileSync(sharedDataPath('mushroom-observer', code, `image_${n}.webp`));

function expectSymmetric(a: PairSubject, b: PairSubject): void {
  const ab = checkContent(a.prepared!, b.prepared!, CONTENT_RULES);
  const ba = checkContent(b.prepared!, a.prepared!, CONTENT_RULES);
  expect(ba.accepted).toBe(ab.accepted);
  expect(ba.inliers).toBe(ab.inliers);
  expect(ba.agreement).toEqual(ab.agreement);
  expect(ba.mirrored).toBe(ab.mirrored);
  expect(ba.scale).toBeCloseTo(1 / ab.scale, 6);
  const forward = confirmPair(a, b, T);
  const backward = confirmPair(b, a, T);
  expect(backward === null).toBe(forward === null);
  if (forward && backward) {
    expect(backward.distance).toBe(forward.distance);
    expect(backward.fromA).toEqual(forward.fromB);
  }
}

describe('content check on drawn photos', () => {
  it('accepts a mirrored, cropped copy and refuses another photo drawn in the same style, both ways alike', async () => {
    const original = await makePhoto(4242, { width: 900, height: 600, format: 'jpeg' });
    const a = await pairSubjectOfBytes(original);
    const copy = await pairSubjectOfBytes(await makeVariant(await makeVariant(original, 'flip'), 'crop-10'));
    const other = await pairSubjectOfBytes(await makePhoto(4343, { width: 900, height: 600, format: 'jpeg' }));
    const match = confirmPair(copy, a, T, true);
    expect(match).not.toBeNull();
    expect(match!.fromA.transform).toContain('mirror');
    expect(match!.fromA.measure).toBe('block correlation');
    expect(confirmPair(other, a, T, true)).toBeNull();
    expectSymmetric(copy, a);
    expectSymmetric(other, a);
  }, 60_000);

  it('confirms whole pictures a few bits past the threshold by the content check alone, and says so', async () => {
    const original = await makePhoto(5151, { width: 900, height: 600, format: 'jpeg' });
    const a = await pairSubjectOfBytes(original);
    const copy = await pairSubjectOfBytes(await makeVariant(original, 'recompress'));
    const other = await pairSubjectOfBytes(await makePhoto(5252, { width: 900, height: 600, format: 'jpeg' }));
    /** The subject with only its whole-picture hashes, `bits` low bits of each flipped (as an overlay moves them). */
    const moved = (s: PairSubject, bits: number): PairSubject => {
      const dihedral = Uint32Array.from(s.fingerprint.dihedral);
      for (let j = 1; j < 16; j += 2) dihedral[j] = (dihedral[j]! ^ (2 ** bits - 1)) >>> 0;
      return {
        prepared: s.prepared,
        fingerprint: { ...s.fingerprint, pixelDigest: null, dihedral, regions: new Uint32Array(0), offCentre: new Uint32Array(0) },
      };
    };
    const anchor = moved(a, 0);
    for (const bits of [T + 2, T + WHOLE_PICTURE_MARGIN]) {
      const overlaid = moved(copy, bits);
      // The copy's hashes were equal to the original's; now only the margin brings them together.
      expect(fingerprintDistance(overlaid.fingerprint, anchor.fingerprint).distance).toBeGreaterThan(T);
      expect(wholePictureDistance(overlaid.fingerprint, anchor.fingerprint)).toBeLessThanOrEqual(T + WHOLE_PICTURE_MARGIN);
      const match = confirmPair(overlaid, anchor, T);
      expect(match, `${bits} bits`).not.toBeNull();
      expect(match!.distance).toBeGreaterThan(T);
      expect(match!.fromA.measure).toBe('block correlation');
      expect(match!.fromA.detail).toContain(`past the threshold ${T}`);
      expectSymmetric(overlaid, anchor);
      // The margin lets the content check look; it never confirms a different photo.
      expect(confirmPair(moved(other, bits), anchor, T)).toBeNull();
    }
    // Past the flips' margin the upright pictures' wider margin (tested below) still lets the content check look.
    const tooFar = moved(copy, T + UPRIGHT_WHOLE_MARGIN + 2);
    expect(wholePictureDistance(tooFar.fingerprint, anchor.fingerprint)).toBeGreaterThan(T + WHOLE_PICTURE_MARGIN);
    expect(uprightWholeDistance(tooFar.fingerprint, anchor.fingerprint)).toBeGreaterThan(T + UPRIGHT_WHOLE_MARGIN);
    expect(confirmPair(tooFar, anchor, T)).toBeNull();
    // Without a stored rendition the DCT rule alone decides, at the threshold: the margin needs the content check.
    expect(confirmPair({ ...moved(copy, T + 2), prepared: null }, anchor, T)).toBeNull();
  }, 60_000);

  it('confirms upright pictures up to UPRIGHT_WHOLE_MARGIN past the threshold and off-centre windows within it by the content check alone', async () => {
    const original = await makePhoto(5353, { width: 900, height: 600, format: 'jpeg' });
    const a = await pairSubjectOfBytes(original);
    const copy = await pairSubjectOfBytes(await makeVariant(original, 'recompress'));
    const other = await pairSubjectOfBytes(await makePhoto(5454, { width: 900, height: 600, format: 'jpeg' }));
    /**
     * The subject with no regions, its upright hash's `upright` low bits flipped and every other flip's 24 high bits
     * (so only the upright picture can bring it near), and, for the anchor, one off-centre window set to `window`.
     */
    const edited = (s: PairSubject, upright: number, window: [number, number] | null = null): PairSubject => {
      const dihedral = Uint32Array.from(s.fingerprint.dihedral);
      dihedral[1] = (dihedral[1]! ^ (2 ** upright - 1)) >>> 0;
      for (let j = 3; j < 16; j += 2) dihedral[j] = (dihedral[j]! ^ 0xffffff00) >>> 0;
      const offCentre = new Uint32Array(4);
      if (window) offCentre.set(window, 2);
      return {
        prepared: s.prepared,
        fingerprint: { ...s.fingerprint, pixelDigest: null, dihedral, regions: new Uint32Array(0), offCentre },
      };
    };
    const anchor = edited(a, 0);
    // Overlaid: upright pictures 16 bits apart, past the flips' margin; found through the upright margin alone.
    const overlaid = edited(copy, T + UPRIGHT_WHOLE_MARGIN);
    expect(wholePictureDistance(overlaid.fingerprint, anchor.fingerprint)).toBeGreaterThan(T + WHOLE_PICTURE_MARGIN);
    expect(contentOnlyGate(overlaid.fingerprint, anchor.fingerprint, T)).toBe('upright-whole');
    const match = confirmPair(overlaid, anchor, T);
    expect(match).not.toBeNull();
    expect(match!.fromA.detail).toContain('upright whole pictures');
    expectSymmetric(overlaid, anchor);
    expect(confirmPair(edited(other, T + UPRIGHT_WHOLE_MARGIN), anchor, T)).toBeNull();
    expect(confirmPair(edited(copy, T + UPRIGHT_WHOLE_MARGIN + 2), anchor, T)).toBeNull();
    // The same copy with its upright edge hash past the upright key (UPRIGHT_KEY_THRESHOLD, pHash + edge hash): out.
    const edgesMoved: PairSubject = {
      prepared: overlaid.prepared,
      fingerprint: { ...overlaid.fingerprint, edges: Uint32Array.from(overlaid.fingerprint.edges) },
    };
    edgesMoved.fingerprint.edges[0] = ~anchor.fingerprint.edges[0]! >>> 0;
    expect(
      uprightWholeDistance(edgesMoved.fingerprint, anchor.fingerprint) + uprightEdgeDistance(edgesMoved.fingerprint, anchor.fingerprint),
    ).toBeGreaterThan(UPRIGHT_KEY_THRESHOLD);
    expect(contentOnlyGate(edgesMoved.fingerprint, anchor.fingerprint, T)).toBeNull();
    expect(confirmPair(edgesMoved, anchor, T)).toBeNull();
    // Off-centre: the copy's upright picture 24 bits from the anchor's but within T of one of its off-centre windows.
    const far = edited(copy, 24);
    const near = (bits: number): [number, number] => [
      far.fingerprint.dihedral[0]!,
      (far.fingerprint.dihedral[1]! ^ ((2 ** bits - 1) * 2 ** 8)) >>> 0,
    ];
    const withWindow = edited(a, 0, near(T));
    expect(uprightWholeDistance(far.fingerprint, withWindow.fingerprint)).toBeGreaterThan(T + UPRIGHT_WHOLE_MARGIN);
    expect(offCentreDistance(far.fingerprint, withWindow.fingerprint)).toBe(T);
    expect(contentOnlyGate(far.fingerprint, withWindow.fingerprint, T)).toBe('off-centre');
    const cropMatch = confirmPair(far, withWindow, T);
    expect(cropMatch).not.toBeNull();
    expect(cropMatch!.fromB.detail).toContain('off-centre crop window');
    expectSymmetric(far, withWindow);
    expect(confirmPair(far, edited(a, 0, near(T + 2)), T)).toBeNull();
    // The window lets the content check look; it never confirms a different photo, nor decides without a rendition.
    const otherFar = edited(other, 0);
    expect(confirmPair(otherFar, edited(a, 0, [otherFar.fingerprint.dihedral[0]!, otherFar.fingerprint.dihedral[1]!]), T)).toBeNull();
    expect(confirmPair({ ...far, prepared: null }, withWindow, T)).toBeNull();
  }, 60_000);

  it('needs the edge key for hashes within the threshold; a pair whose edges disagree enters only through a wide gate, and says so', async () => {
    const original = await makePhoto(5151, { width: 900, height: 600, format: 'jpeg' });
    const anchor = await pairSubjectOfBytes(original);
    const copy = await pairSubjectOfBytes(await makeVariant(original, 'recompress'));
    /** The subject with every edge hash inverted (64 bits from any edge hash it had) and no pixel digest. */
    const edgesInverted = (s: PairSubject): PairSubject => ({
      prepared: s.prepared,
      fingerprint: { ...s.fingerprint, pixelDigest: null, edges: s.fingerprint.edges.map((w) => ~w >>> 0) },
    });
    const plain = { prepared: anchor.prepared, fingerprint: { ...anchor.fingerprint, pixelDigest: null } };
    const odd = edgesInverted(copy);
    expect(fingerprintDistance(odd.fingerprint, plain.fingerprint).distance).toBeLessThanOrEqual(T);
    expect(edgeKeyAgrees(copy.fingerprint, plain.fingerprint, T)).toBe(true);
    expect(edgeKeyAgrees(odd.fingerprint, plain.fingerprint, T)).toBe(false);
    // Intact edges: an ordinary candidate, no word about a gate.
    const ordinary = confirmPair({ ...copy, fingerprint: { ...copy.fingerprint, pixelDigest: null } }, plain, T);
    expect(ordinary).not.toBeNull();
    expect(ordinary!.fromA.detail).not.toContain('content check alone decided');
    // Edges disagreeing: the pictures are close (an off-centre window, the upright picture), so a wide gate lets the
    // content check decide alone.
    expect(contentOnlyGate(odd.fingerprint, plain.fingerprint, T)).not.toBeNull();
    const gated = confirmPair(odd, plain, T);
    expect(gated).not.toBeNull();
    expect(gated!.fromA.detail).toContain('edge hashes disagree');
    expectSymmetric(odd, plain);
    // Without a rendition the DCT rule decides only ordinary candidates: the key fails, so no match.
    expect(confirmPair({ ...copy, prepared: null, fingerprint: { ...copy.fingerprint, pixelDigest: null } }, plain, T)).not.toBeNull();
    expect(confirmPair({ ...odd, prepared: null }, plain, T)).toBeNull();
  }, 60_000);

  it('round-trips the stored rendition and refuses another version', async () => {
    const subject = await pairSubjectOfBytes(await makePhoto(7, { width: 400, height: 300, format: 'png' }));
    const blob = encodeMatchThumbnail(subject.prepared!.thumb);
    expect(parseMatchThumbnail(blob)).toEqual(subject.prepared!.thumb);
    expect(parseMatchThumbnail(Uint8Array.from([99, ...blob.subarray(1)]))).toBeNull();
    expect(parseMatchThumbnail(blob.subarray(0, blob.length - 1))).toBeNull();
  }, 60_000);
});

describe.skipIf(!hasSharedData)('content check on real photographs', () => {
  it('refuses two shots of one scene and two views of one specimen, even without the hash gate', async () => {
    // calcya: the same cap photographed twice, camera moved; canros: the cluster from above and beside a hand.
    for (const code of ['calcya', 'canros', 'hercor']) {
      const a = await pairSubjectOfBytes(photo(code, 0));
      const b = await pairSubjectOfBytes(photo(code, 1));
      expect(confirmPair(a, b, T, true), code).toBeNull();
      expectSymmetric(a, b);
    }
  }, 120_000);

  it.each<HardVariant>(['rotate-10', 'crop-20-30', 'caption', 'watermark', 'jpeg-q8'])(
    'accepts a %s copy and says how it maps onto the original',
    async (variant) => {
      for (const [k, code] of ['agaarv', 'bolpin'].entries()) {
        const original = await pairSubjectOfBytes(photo(code, 0));
        const copy = await pairSubjectOfBytes(await makeHardVariant(photo(code, 0), variant, 77 + k));
        const match = confirmPair(copy, original, T, true);
        expect(match, `${code} ${variant}`).not.toBeNull();
        expect(match!.fromA.agreement).toBeGreaterThanOrEqual(CONTENT_RULES.minBlockShare);
        if (variant === 'rotate-10') expect(match!.fromA.transform).toMatch(/rotate -?\d+°/);
        if (variant === 'crop-20-30') expect(match!.fromA.transform).toMatch(/crop \d+%/);
        expectSymmetric(copy, original);
      }
    },
    120_000,
  );
});
