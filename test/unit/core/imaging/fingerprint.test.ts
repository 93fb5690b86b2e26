// Fingerprint format: round trip, versioning, regions by aspect ratio, tiny and grey inputs, distance symmetry.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  computeFingerprint,
  fingerprintFromImage,
  fingerprintRegions,
  FINGERPRINT_VERSION,
  parseFingerprint,
  targetPictures,
} from '../../../../src-main/core/imaging/fingerprint';
import { dihedralEdgeHashes, edgeHash, EDGE_INPUT_SIZE } from '../../../../src-main/core/imaging/edge-hash';
import {
  fingerprintDistance,
  fingerprintMatches,
  isDuplicateMatch,
  verifiedMatch,
} from '../../../../src-main/core/duplicates/fingerprint-distance';
import { DEFAULT_DUPLICATE_THRESHOLD, MIN_DUPLICATE_CORRELATION, MIN_SIDE_CROP_CORRELATION } from '../../../../src-shared/defaults';
import { renderDerivativeLadder, type RawImage } from '../../../../src-main/core/imaging/derivatives';
import { EDITED_COPY_WINDOWS } from '../../../../src-main/core/imaging/edited-copy-windows';
import { fingerprintOfBytes } from '../../../fixtures/fingerprint-of';
import { makePhoto, renderPhotoRaw } from '../../../fixtures/synthetic-photos';

describe('fingerprint format', () => {
  it('round-trips through parseFingerprint with the pixel digest of the decode', async () => {
    const raw = await renderPhotoRaw(3, 640, 480);
    const blob = computeFingerprint(await renderDerivativeLadder(raw));
    expect(blob[0]).toBe(FINGERPRINT_VERSION);
    const fp = parseFingerprint(blob)!;
    expect(fp.pixelDigest).toMatch(/^[0-9a-f]{32}$/);
    expect(fp.dihedral).toHaveLength(16);
    expect(fp.regions.length / 2).toBe(fingerprintRegions(320, 240).length + EDITED_COPY_WINDOWS);
    expect(fp.coefficients).toHaveLength((1 + fp.regions.length / 2) * 64);
    // v5: an edge hash beside every pHash, of the same picture (the whole under each flip, then every region).
    expect(fp.edges).toHaveLength(16 + fp.regions.length);
    const fine = targetPictures((await renderDerivativeLadder(raw)).small, EDGE_INPUT_SIZE);
    expect(Array.from(fp.edges.subarray(0, 16))).toEqual(Array.from(dihedralEdgeHashes(fine.whole)));
    fine.targets.forEach((picture, k) =>
      expect(Array.from(fp.edges.subarray(16 + 2 * k, 18 + 2 * k))).toEqual(Array.from(edgeHash(picture))),
    );
  });

  it('refuses other versions and damaged blobs so they are recomputed', async () => {
    const blob = computeFingerprint(await renderDerivativeLadder(await renderPhotoRaw(4, 320, 240)));
    expect(parseFingerprint(Uint8Array.from([FINGERPRINT_VERSION - 1, ...blob.subarray(1)]))).toBeNull();
    expect(parseFingerprint(blob.subarray(0, blob.length - 1))).toBeNull();
    expect(parseFingerprint(null)).toBeNull();
  });

  it('adds square windows only when the image is not already square', () => {
    // 4 centred crops + 16 one-sided cuts (+ 5 square windows when the image is not square).
    expect(fingerprintRegions(320, 240)).toHaveLength(4 + 16 + 5);
    expect(fingerprintRegions(240, 320).every((r) => r.top + r.height <= 320 && r.left + r.width <= 240)).toBe(true);
    expect(fingerprintRegions(300, 300)).toHaveLength(4 + 16);
  });

  it('handles the smallest accepted image and single-channel input', async () => {
    const tiny = await sharp(await makePhoto(5, { width: 400, height: 300 }))
      .resize(32, 32)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image: RawImage = { data: tiny.data, width: 32, height: 32, channels: 3 };
    expect(parseFingerprint(fingerprintFromImage(image))).not.toBeNull();
    // The same luma given as one channel must fingerprint like the colour image it came from.
    const grey = Buffer.alloc(32 * 32);
    for (let p = 0; p < grey.length; p++)
      grey[p] = Math.round(0.299 * tiny.data[p * 3]! + 0.587 * tiny.data[p * 3 + 1]! + 0.114 * tiny.data[p * 3 + 2]!);
    const fromGrey = parseFingerprint(fingerprintFromImage({ data: grey, width: 32, height: 32, channels: 1 }))!;
    const fromColour = parseFingerprint(fingerprintFromImage(image))!;
    const match = fingerprintDistance(fromGrey, fromColour);
    expect(match.distance).toBeLessThanOrEqual(2);
    expect(isDuplicateMatch(match, DEFAULT_DUPLICATE_THRESHOLD)).toBe(true);
  });

  it('measures the same distance both ways and 0 for the same pixels', async () => {
    const a = await fingerprintOfBytes(await makePhoto(6, { width: 600, height: 400 }));
    const b = await fingerprintOfBytes(await makePhoto(7, { width: 600, height: 400 }));
    expect(fingerprintDistance(a, b).distance).toBe(fingerprintDistance(b, a).distance);
    expect(fingerprintDistance(a, a)).toEqual({ distance: 0, kind: 'pixels', correlation: 1 });
    expect(fingerprintDistance(a, b).distance).toBeGreaterThan(10);
  });
});

describe('one-sided crops', () => {
  it.each([
    ['left 10%', [0.1, 0, 0, 0]],
    ['bottom 20%', [0, 0, 0, 0.2]],
    ['top-right corner 20%', [0, 0.2, 0.2, 0]],
  ] as const)('matches a %s cut through a side window, with the stricter correlation bar', async (_name, [l, t, r, b]) => {
    const bytes = await makePhoto(8, { width: 900, height: 600 });
    const region = {
      left: Math.round(900 * l),
      top: Math.round(600 * t),
      width: Math.floor(900 * (1 - l - r)),
      height: Math.floor(600 * (1 - t - b)),
    };
    const copy = await fingerprintOfBytes(await sharp(bytes).extract(region).jpeg({ quality: 90 }).toBuffer());
    const original = await fingerprintOfBytes(bytes);
    const [, side] = fingerprintMatches(copy, original);
    expect(side.kind).toBe('side-region');
    expect(side.correlation).toBeGreaterThanOrEqual(MIN_SIDE_CROP_CORRELATION);
    expect(verifiedMatch(copy, original, DEFAULT_DUPLICATE_THRESHOLD)).not.toBeNull();
  });

  it('holds side-window matches to the stricter bar', () => {
    const base = { distance: 6, correlation: (MIN_DUPLICATE_CORRELATION + MIN_SIDE_CROP_CORRELATION) / 2 };
    expect(isDuplicateMatch({ ...base, kind: 'region' }, 10)).toBe(true);
    expect(isDuplicateMatch({ ...base, kind: 'side-region' }, 10)).toBe(false);
    expect(isDuplicateMatch({ ...base, kind: 'edited-window' }, 10)).toBe(false);
  });
});
