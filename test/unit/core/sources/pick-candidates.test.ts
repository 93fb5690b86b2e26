// Which candidates fetch-hq takes: HQ sizes first, unknown sizes next, small ones only when nothing else exists.
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../../src-main/core/sources/candidate';
import { pickCandidates } from '../../../../src-main/core/sources/pick-candidates';

const c = (url: string, width: number | null, height: number | null, license = 'CC-BY-4.0'): Candidate => ({
  source: 'inat',
  url,
  width,
  height,
  license,
  attribution: null,
  pageUrl: null,
  observationId: null,
  taxon: 'Amanita muscaria',
  rank: 'species',
});
const opts = { licenses: ['CC0', 'CC-BY', 'CC-BY-SA'], isKnown: () => false };

describe('pickCandidates', () => {
  it('prefers long edge >= 1600, largest first, then unknown sizes, and drops small ones', () => {
    const got = pickCandidates([c('small', 800, 600), c('unknown', null, null), c('big', 1200, 1800), c('bigger', 4000, 3000)], {
      ...opts,
      want: 5,
    });
    expect(got.map((x) => x.url)).toEqual(['bigger', 'big', 'unknown']);
  });

  it('never fills an HQ gap with a photo below the HQ size, even when nothing larger is left (issue 15)', () => {
    expect(pickCandidates([c('a', 800, 600), c('b', 1200, 900), c('c', 640, 480)], { ...opts, want: 2 })).toEqual([]);
    // A second run: the HQ photo taken by the first is known now; the 1024 px one it passed over stays passed over.
    const second = pickCandidates([c('taken', 2400, 1600), c('small', 1024, 768)], { ...opts, isKnown: (u) => u === 'taken', want: 2 });
    expect(second).toEqual([]);
  });

  it('filters licences, known URLs and repeated URLs', () => {
    const got = pickCandidates(
      [
        c('nc', 3000, 2000, 'CC-BY-NC-4.0'),
        c('known', 3000, 2000),
        c('ok', 2000, 1600),
        c('ok', 2000, 1600),
        c('unk', 3000, 2000, 'UNKNOWN'),
      ],
      {
        ...opts,
        isKnown: (u) => u === 'known',
        want: 5,
      },
    );
    expect(got.map((x) => x.url)).toEqual(['ok']);
  });

  it('returns nothing when nothing is wanted', () => {
    expect(pickCandidates([c('a', 3000, 2000)], { ...opts, want: 0 })).toEqual([]);
  });
});
