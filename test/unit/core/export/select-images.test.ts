// Selection rules: rank folding, licence allow-list, attribution, one per cluster, class size limits.
import { describe, expect, it } from 'vitest';
import type { ExportRow } from '../../../../src-main/core/export/export-rows';
import { labelAtRank, licenseRequiresAttribution, selectImages } from '../../../../src-main/core/export/select-images';

let next = 1;
function row(partial: Partial<ExportRow>): ExportRow {
  const id = next++;
  return {
    imageId: id,
    sha256: id.toString(16).padStart(64, '0'),
    taxon: 'Amanita muscaria',
    rank: 'species',
    labelState: 'human_verified',
    qualityScore: 50,
    width: 100,
    height: 100,
    format: 'jpeg',
    license: 'CC-BY-SA-3.0',
    attribution: 'A. Photographer',
    sourceUrl: null,
    observationGroup: null,
    clusterId: null,
    representativeId: null,
    perceptualHash: '0000000000000000',
    ...partial,
  };
}

const base = { licenses: ['CC0', 'PD', 'CC-BY', 'CC-BY-SA'], taxonRank: 'species' as const, onePerCluster: true, minPerClass: 1 };

describe('selectImages', () => {
  it('keeps allowed licences, drops others, and never keeps an image whose licence needs a missing attribution', () => {
    const rows = [
      row({ license: 'CC-BY-SA-3.0' }),
      row({ license: 'CC-BY-NC-SA-3.0' }),
      row({ license: 'ARR' }),
      row({ license: null }),
      row({ license: 'CC-BY-4.0', attribution: '  ' }),
      row({ license: 'CC0-1.0', attribution: null }),
      row({ license: 'PD', attribution: null }),
    ];
    const s = selectImages(rows, base);
    expect(s.rows.map((r) => r.license).sort()).toEqual(['CC-BY-SA-3.0', 'CC0-1.0', 'PD']);
    expect(s.excludedByLicense).toBe(2);
    expect(s.excludedLicenseUnknown).toBe(1);
    expect(s.excludedMissingAttribution).toBe(1);
    const withNc = selectImages(rows, { ...base, licenses: ['CC-BY-NC-SA', 'CC-BY-SA'] });
    expect(withNc.rows.map((r) => r.license).sort()).toEqual(['CC-BY-NC-SA-3.0', 'CC-BY-SA-3.0']);
  });

  it('folds infraspecific names into the species, keeps genera only for genus exports', () => {
    const rows = [
      row({ taxon: 'Amanita muscaria var. formosa', rank: 'variety' }),
      row({ taxon: 'Amanita muscaria' }),
      row({ taxon: 'Amanita', rank: 'genus' }),
      row({ taxon: 'Agaricales', rank: 'order' }),
    ];
    const species = selectImages(rows, base);
    expect(species.rows.map((r) => r.label)).toEqual(['Amanita muscaria', 'Amanita muscaria']);
    expect(species.excludedCoarserRank).toBe(2);
    const genus = selectImages(rows, { ...base, taxonRank: 'genus' });
    expect(genus.rows.map((r) => r.label)).toEqual(['Amanita', 'Amanita', 'Amanita']);
    expect(labelAtRank('Boletus  edulis', 'species')).toBe('Boletus edulis');
  });

  it('keeps one image per cluster: the representative, or the best member the filters let through', () => {
    const rep = row({ clusterId: 1, qualityScore: 40 });
    rep.representativeId = rep.imageId;
    const other = row({ clusterId: 1, qualityScore: 90, representativeId: rep.imageId });
    const blockedRep = row({ clusterId: 2, license: 'ARR' });
    blockedRep.representativeId = blockedRep.imageId;
    const low = row({ clusterId: 2, qualityScore: 10, representativeId: blockedRep.imageId });
    const high = row({ clusterId: 2, qualityScore: 80, representativeId: blockedRep.imageId });
    const s = selectImages([other, rep, blockedRep, low, high], base);
    expect(s.rows.map((r) => r.imageId).sort()).toEqual([rep.imageId, high.imageId].sort());
    expect(s.duplicatesDropped).toBe(2);
    const all = selectImages([other, rep, blockedRep, low, high], { ...base, onePerCluster: false });
    expect(all.rows).toHaveLength(4);
  });

  it('caps classes at the best-quality images and leaves out classes under the minimum, listing them', () => {
    const rows = [...[10, 90, 50, 70].map((q) => row({ taxon: 'Boletus edulis', qualityScore: q })), row({ taxon: 'Morchella esculenta' })];
    const s = selectImages(rows, { ...base, minPerClass: 2, maxPerClass: 3 });
    expect(s.rows.map((r) => r.qualityScore).sort((a, b) => a - b)).toEqual([50, 70, 90]);
    expect(s.cappedByMaxPerClass).toBe(1);
    expect(s.excludedClasses).toEqual([{ taxon: 'Morchella esculenta', images: 1 }]);
  });

  it('knows which licences oblige attribution', () => {
    expect(licenseRequiresAttribution('CC0-1.0')).toBe(false);
    expect(licenseRequiresAttribution('PD')).toBe(false);
    expect(licenseRequiresAttribution('CC-BY-4.0')).toBe(true);
    expect(licenseRequiresAttribution('UNKNOWN')).toBe(true);
  });
});
