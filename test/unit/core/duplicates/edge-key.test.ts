// The 128-bit key of fingerprint v5 (pHash + edge hash): a copy keeps both halves close, a pair whose pHashes meet
// but whose edges do not is outside it. (confirmPair does not apply it yet: see README, More bits per target.)
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { DEFAULT_DUPLICATE_THRESHOLD, EDGE_KEY_THRESHOLD } from '../../../../src-shared/defaults';
import { edgeKeyAgrees, edgeKeyThreshold, verifiedMatch } from '../../../../src-main/core/duplicates/fingerprint-distance';
import type { Fingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { fingerprintOfBytes } from '../../../fixtures/fingerprint-of';
import { makePhoto } from '../../../fixtures/synthetic-photos';

const T = DEFAULT_DUPLICATE_THRESHOLD;

/** The same fingerprint with every edge hash's lowest `bits` bits of the low word flipped. */
function withEdgesMoved(fp: Fingerprint, bits: number): Fingerprint {
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  return { ...fp, edges: fp.edges.map((w, i) => (i % 2 === 1 ? (w ^ mask) >>> 0 : w)) };
}

describe('edge key (fingerprint v5)', () => {
  it('keeps a resized, recompressed copy within the key', async () => {
    const original = await makePhoto(21, { width: 800, height: 600 });
    const copy = await sharp(original).resize(560).jpeg({ quality: 70 }).toBuffer();
    const a = await fingerprintOfBytes(original);
    const b = await fingerprintOfBytes(copy);
    expect(edgeKeyAgrees(a, b, T)).toBe(true);
    expect(edgeKeyAgrees(b, a, T)).toBe(true);
  });

  it('turns down a pair whose pHashes meet but whose edges lie elsewhere', async () => {
    const a = await fingerprintOfBytes(await makePhoto(22, { width: 800, height: 600 }));
    // Same pHashes (a hash-level look-alike), every edge hash 32 bits away from a's: past the key on every pair.
    const lookAlike = withEdgesMoved(a, 32);
    const other = { ...lookAlike, pixelDigest: null };
    expect(verifiedMatch(a, other, T)).not.toBeNull();
    expect(edgeKeyAgrees(a, other, T)).toBe(false);
    expect(edgeKeyAgrees(a, { ...a, pixelDigest: null }, T)).toBe(true);
  });

  it('counts pHash and edge bits together against one threshold, with the whole-picture margin', async () => {
    const a = await fingerprintOfBytes(await makePhoto(23, { width: 800, height: 600 }));
    const b = { ...a, pixelDigest: null };
    // Identical pHashes: the edge hashes alone may differ by up to the key's threshold.
    expect(edgeKeyThreshold(T)).toBe(EDGE_KEY_THRESHOLD);
    expect(edgeKeyAgrees(a, withEdgesMoved(b, 24), T)).toBe(true);
    // 28 bits pass only through whole pictures (their margin), so some whole-picture pair must agree that well.
    expect(edgeKeyAgrees(a, withEdgesMoved(b, 28), T)).toBe(true);
    expect(edgeKeyAgrees(a, withEdgesMoved(b, 29), T)).toBe(false);
    expect(edgeKeyThreshold(0)).toBe(0);
  });
});
