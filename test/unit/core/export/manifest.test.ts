// Manifest serialisation: CSV quoting, class folder names, licence URLs, HF metadata paths.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src-main/core/ingest/sidecar';
import { licenseUrl } from '../../../../src-main/core/export/attribution';
import {
  classFolders,
  csvField,
  hfMetadataLines,
  joinLines,
  MANIFEST_COLUMNS,
  manifestCsvLines,
  manifestJsonlLines,
  type ManifestEntry,
} from '../../../../src-main/core/export/manifest';

const entry = (partial: Partial<ManifestEntry>): ManifestEntry => ({
  file: 'train/Amanita_muscaria/a.jpg',
  sha256: 'a'.repeat(64),
  sourceSha256: 'a'.repeat(64),
  taxon: 'Amanita muscaria',
  rank: 'species',
  labelState: 'human_verified',
  quality: 61.5,
  width: 400,
  height: 300,
  license: 'CC-BY-SA-3.0',
  attribution: 'Jo "the spore" Smith, Esq.',
  sourceUrl: null,
  split: 'train',
  clusterId: null,
  observationGroup: null,
  ...partial,
});

describe('manifest', () => {
  it('writes each JSONL line exactly as JSON.stringify of the record would', () => {
    const tricky = [
      entry({}),
      entry({ attribution: 'line\nbreak \\ tab\t "quote" \u2028 Ærø 🍄', sourceUrl: 'https://x.org/?a=1&b="2"', clusterId: 7 }),
      entry({ attribution: null, quality: 0.1 + 0.2, observationGroup: 'obs-1', license: 'UNKNOWN' }),
    ];
    const lines = joinLines(manifestJsonlLines(tricky)).split('\n').slice(0, -1);
    tricky.forEach((e, i) => {
      const values = [
        e.file,
        e.sha256,
        e.sourceSha256,
        e.taxon,
        e.rank,
        e.labelState,
        e.quality,
        e.width,
        e.height,
        e.license,
        e.attribution,
        e.sourceUrl,
        e.split,
        e.clusterId,
        e.observationGroup,
      ];
      expect(lines[i]).toBe(JSON.stringify(Object.fromEntries(MANIFEST_COLUMNS.map((c, k) => [c, values[k]]))));
    });
  });

  it('quotes CSV fields that need it so that a CSV reader gets the values back', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    const text = joinLines(manifestCsvLines([entry({}), entry({ attribution: 'line\nbreak', file: 'val/B/b.jpg', split: 'val' })]));
    const rows = parseCsv(text);
    expect(rows[1]![10]).toBe('Jo "the spore" Smith, Esq.');
    expect(rows[2]![10]).toBe('line\nbreak');
    expect(rows[2]![0]).toBe('val/B/b.jpg');
  });

  it('gives each class a distinct, filesystem-safe folder', () => {
    const folders = classFolders(['Amanita muscaria', 'Amanita_muscaria', 'Boletus edulis/..', 'Cortinarius (Telamonia) sp.']);
    expect(folders.get('Amanita muscaria')).toBe('Amanita_muscaria');
    expect(folders.get('Amanita_muscaria')).toBe('Amanita_muscaria-2');
    expect(folders.get('Boletus edulis/..')).toBe('Boletus_edulis_..');
    expect([...folders.values()].every((f) => !f.includes('/') && f !== '..')).toBe(true);
  });

  it('writes HF metadata with file_name relative to the split folder and no nulls', () => {
    const lines = joinLines(hfMetadataLines([entry({}), entry({ split: 'val', file: 'val/X/b.jpg' })], 'train'))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record.file_name).toBe('Amanita_muscaria/a.jpg');
    expect(Object.values(record).every((v) => v !== null)).toBe(true);
  });

  it('links licences to their deeds', () => {
    expect(licenseUrl('CC-BY-SA-3.0')).toBe('https://creativecommons.org/licenses/by-sa/3.0/');
    expect(licenseUrl('CC-BY-NC-SA-4.0')).toBe('https://creativecommons.org/licenses/by-nc-sa/4.0/');
    expect(licenseUrl('CC0-1.0')).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    expect(licenseUrl('CC-BY')).toBe('');
  });
});
