// Re-clustering a large library must not hold every image's prepared rendition in memory (~127 kB each: 13 GB at
// 100k touched images). The confirmer keeps the most recently used within a byte budget, and its answers must not
// depend on the budget: the same pairs, the same distances and explanations, with renditions made again when asked.
import { afterEach, describe, expect, it } from 'vitest';
import { CandidateConfirmer } from '../../../../src-main/core/duplicates/confirm-candidates';
import { writeMatchThumbnail } from '../../../../src-main/core/duplicates/verify/thumbnail-store';
import { computeMatchThumbnail, encodeMatchThumbnail } from '../../../../src-main/core/imaging/match-thumbnail';
import { renderDerivativeLadder } from '../../../../src-main/core/imaging/derivatives';
import type { Fingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { insertImages } from '../../../fixtures/catalog-rows';
import { decodeLikeIngest, fingerprintOfBytes } from '../../../fixtures/fingerprint-of';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { makeVariant } from '../../../fixtures/variants';
import { openTempCatalog } from '../../../fixtures/temp-library';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('CandidateConfirmer', () => {
  it('gives the same answers within a small memory budget, holding no more than the budget', async () => {
    const catalog = openTempCatalog();
    cleanup = catalog.cleanup;
    // Four photos and two copies of each: pairs within a photo confirm, pairs across it do not.
    const photos = await Promise.all([0, 1, 2, 3].map((i) => makePhoto(4100 + i, { width: 480, height: 360, format: 'jpeg' })));
    const files: Buffer[] = [];
    for (const p of photos) files.push(p, await makeVariant(p, 'crop-10'), await makeVariant(p, 'recompress'));
    const ids = insertImages(catalog.db, 'bounded', files.length);
    const fingerprints = new Map<number, Fingerprint>();
    for (const [k, bytes] of files.entries()) {
      const ladder = await renderDerivativeLadder(await decodeLikeIngest(bytes));
      writeMatchThumbnail(catalog.db, ids[k]!, encodeMatchThumbnail(computeMatchThumbnail(ladder.small)));
      fingerprints.set(ids[k]!, await fingerprintOfBytes(bytes));
    }
    const pairs: [number, number][] = [];
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i]!, ids[j]!]);
    const answers = (confirmer: CandidateConfirmer) =>
      pairs.map(([a, b]) => confirmer.confirm(a, fingerprints.get(a)!, b, fingerprints.get(b)!, true));

    const unbounded = new CandidateConfirmer(catalog.db, 10, Infinity);
    const expected = answers(unbounded);
    expect(unbounded.preparations).toBe(ids.length);
    expect(expected.filter((m) => m !== null).length).toBeGreaterThanOrEqual(photos.length * 2);
    expect(expected.filter((m) => m === null).length).toBeGreaterThan(0);

    // Room for about three renditions: most asks make one again.
    const budget = 3 * 130_000;
    const bounded = new CandidateConfirmer(catalog.db, 10, budget);
    let most = 0;
    const got = pairs.map(([a, b]) => {
      const match = bounded.confirm(a, fingerprints.get(a)!, b, fingerprints.get(b)!, true);
      most = Math.max(most, bounded.heldBytes);
      return match;
    });
    expect(got).toEqual(expected);
    expect(most).toBeLessThanOrEqual(budget);
    expect(bounded.preparations).toBeGreaterThan(ids.length);
  });
});
