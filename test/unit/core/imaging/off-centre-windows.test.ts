// Hash targets for off-centre crops (fingerprint v5): where the windows sit, that the fingerprint carries their
// hashes, and that on real photographs they bring off-centre crops no v4 target reaches to the content check, which
// confirms them, while keeping the two photographs of a species apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DUPLICATE_THRESHOLD, WHOLE_PICTURE_MARGIN } from '../../../../src-shared/defaults';
import { confirmPair } from '../../../../src-main/core/duplicates/confirm-candidates';
import { contentOnlyGate, offCentreDistance } from '../../../../src-main/core/duplicates/content-only-gate';
import { fingerprintMatches, wholePictureDistance } from '../../../../src-main/core/duplicates/fingerprint-distance';
import { parseHexHash } from '../../../../src-main/core/duplicates/popcount';
import { renderDerivativeLadder } from '../../../../src-main/core/imaging/derivatives';
import { EDITED_COPY_WINDOWS } from '../../../../src-main/core/imaging/edited-copy-windows';
import { computeFingerprint, fingerprintRegions, parseFingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { lumaIntegral, resampleRegion } from '../../../../src-main/core/imaging/grey-resample';
import { OFF_CENTRE_WINDOWS, offCentreRegions } from '../../../../src-main/core/imaging/off-centre-windows';
import { hashFromDctBlock, lowFrequencyDct, PHASH_INPUT_SIZE } from '../../../../src-main/core/imaging/perceptual-hash';
import { pairSubjectOfBytes } from '../../../fixtures/fingerprint-of';
import { makeHardVariant } from '../../../fixtures/hard-variants';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath, speciesOfHalf } from '../../../fixtures/shared-data';
import { renderPhotoRaw } from '../../../fixtures/synthetic-photos';

const T = DEFAULT_DUPLICATE_THRESHOLD;

describe('off-centre windows', () => {
  it('lie inside the frame, off its centre, flush with the edges they touch, and transpose with the frame', () => {
    const regions = offCentreRegions(320, 240);
    expect(regions).toHaveLength(OFF_CENTRE_WINDOWS);
    for (const r of regions) {
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.top).toBeGreaterThanOrEqual(0);
      expect(r.left + r.width).toBeLessThanOrEqual(320);
      expect(r.top + r.height).toBeLessThanOrEqual(240);
      // 70-85 % of the area: the off-centre crops of 20-30 % they are for.
      expect((r.width * r.height) / (320 * 240)).toBeGreaterThan(0.7);
      expect((r.width * r.height) / (320 * 240)).toBeLessThan(0.75);
      // Never centred on both axes: the centred crops are targets already.
      expect(r.left * 2 + r.width === 320 && r.top * 2 + r.height === 240).toBe(false);
    }
    // Every corner of the frame is the corner of some window.
    for (const [x, y] of [
      [0, 0],
      [320, 0],
      [0, 240],
      [320, 240],
    ])
      expect(regions.some((r) => (r.left === x || r.left + r.width === x) && (r.top === y || r.top + r.height === y))).toBe(true);
    // A portrait frame gets the transposed windows (same set), so a turned original keeps its targets' shapes.
    const portrait = offCentreRegions(240, 320).map((r) => `${r.top},${r.left},${r.height},${r.width}`);
    expect(new Set(portrait)).toEqual(new Set(regions.map((r) => `${r.left},${r.top},${r.width},${r.height}`)));
    expect(new Set(regions.map((r) => `${r.left},${r.top},${r.width},${r.height}`)).size).toBe(OFF_CENTRE_WINDOWS);
  });

  it('are carried by the fingerprint as plain pHashes of those windows, apart from the regions', async () => {
    const ladder = await renderDerivativeLadder(await renderPhotoRaw(8, 640, 480));
    const fp = parseFingerprint(computeFingerprint(ladder))!;
    expect(fp.offCentre).toHaveLength(2 * OFF_CENTRE_WINDOWS);
    const luma = lumaIntegral(ladder.small);
    offCentreRegions(ladder.small.width, ladder.small.height).forEach((region, k) => {
      const grey = resampleRegion(luma, region, PHASH_INPUT_SIZE, PHASH_INPUT_SIZE);
      const [hi, lo] = parseHexHash(hashFromDctBlock(lowFrequencyDct(grey)));
      expect([fp.offCentre[2 * k], fp.offCentre[2 * k + 1]], `window ${k}`).toEqual([hi, lo]);
    });
    // The regions (and so every correlation the DCT rule reads) are those of v4.
    expect(fp.regions.length / 2).toBe(fingerprintRegions(ladder.small.width, ladder.small.height).length + EDITED_COPY_WINDOWS);
  });

  describe.skipIf(!hasSharedData)(`on real photographs${hasSharedData ? '' : ` (${SHARED_DATA_SKIP_REASON})`}`, () => {
    // Tune-half photos only: the bench reports on the other half.
    const species = speciesOfHalf('tune').slice(0, 24);
    const photo = (s: string, n = 0) => readFileSync(sharedDataPath('mushroom-observer', s, `image_${n}.webp`));

    it('bring off-centre crops that no v4 target reaches to the content check, which confirms them', async () => {
      let throughWindowsOnly = 0;
      // The bench's tune copies (same seeds); v4 misses few of them, so the walk stops after two such crops.
      for (const [k, s] of speciesOfHalf('tune').slice(0, 50).entries()) {
        if (throughWindowsOnly === 2) break;
        const original = await pairSubjectOfBytes(photo(s));
        const copy = await pairSubjectOfBytes(await makeHardVariant(photo(s), 'crop-20-30', 1000 + k));
        const v4Distance = Math.min(...fingerprintMatches(copy.fingerprint, original.fingerprint).map((m) => m.distance));
        const v4Whole = wholePictureDistance(copy.fingerprint, original.fingerprint);
        if (v4Distance <= T || v4Whole <= T + WHOLE_PICTURE_MARGIN) continue;
        if (offCentreDistance(copy.fingerprint, original.fingerprint) > T) continue;
        throughWindowsOnly++;
        expect(contentOnlyGate(copy.fingerprint, original.fingerprint, T), s).toBe('off-centre');
        const match = confirmPair(copy, original, T);
        expect(match, s).not.toBeNull();
        expect(match!.fromA.detail).toContain('off-centre crop window');
      }
      // v4's targets missed some of these crops (3 of 50 that the content check accepts, when measured): the
      // windows are what brings them in.
      expect(throughWindowsOnly).toBe(2);
    }, 120_000);

    it('keep the two photographs of a species apart', async () => {
      for (const s of species) {
        const a = await pairSubjectOfBytes(photo(s, 0));
        const b = await pairSubjectOfBytes(photo(s, 1));
        if (a.fingerprint.pixelDigest === b.fingerprint.pixelDigest) continue;
        // Candidates through a window may happen; confirmation must not.
        if (offCentreDistance(a.fingerprint, b.fingerprint) <= T) expect(confirmPair(a, b, T), s).toBeNull();
      }
    }, 120_000);
  });
});
