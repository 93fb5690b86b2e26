// Checklist files: one name per line or a Darwin Core taxon file; authorship dropped, ranks kept or inferred,
// lines without a scientific name counted with their line numbers.
import { describe, expect, it } from 'vitest';
import { canonicalName, parseChecklist } from '../../../../src-main/core/labels/checklist/parse-checklist';

describe('canonicalName', () => {
  it.each([
    ['Amanita muscaria (L.) Lam.', 'Amanita muscaria'],
    ['Amanita muscaria var. guessowii Veselý', 'Amanita muscaria var. guessowii'],
    ['Russula  xerampelina', 'Russula xerampelina'],
    ['Boletus edulis subsp reticulatus', 'Boletus edulis subsp. reticulatus'],
    ['Amanita', 'Amanita'],
    ['Cantharellus cibarius Fr. 1821', 'Cantharellus cibarius'],
  ])('%s -> %s', (text, name) => expect(canonicalName(text)).toBe(name));

  it.each(['amanita muscaria', '12 Amanita', 'id', '', '"Amanita muscaria"'])('refuses %j', (text) =>
    expect(canonicalName(text)).toBeNull(),
  );
});

describe('parseChecklist', () => {
  it('reads one name per line, skipping comments and blank lines, de-duplicated ignoring case', () => {
    const parsed = parseChecklist(
      '\uFEFF# Fungi of Somewhere\nAmanita muscaria (L.) Lam.\n\nBoletus edulis # cep\nAMANITA\namanita muscaria\n2024 list\n',
    );
    expect(parsed.format).toBe('list');
    expect(parsed.names).toEqual([
      { name: 'Amanita muscaria', rank: 'species' },
      { name: 'Boletus edulis', rank: 'species' },
    ]);
    // "AMANITA" is no genus spelling, "amanita muscaria" starts lower-case, "2024 list" is no name.
    expect(parsed.skipped).toBe(3);
    expect(parsed.skippedLines).toEqual([5, 6, 7]);
  });

  it('reads a tab-separated Darwin Core taxon file by its header, with its ranks', () => {
    const text = [
      'taxonID\tscientificName\ttaxonRank\tkingdom',
      '1\tAmanitaceae R.Heim ex Pouzar\tfamily\tFungi',
      '2\tAmanita muscaria (L.) Lam.\tspecies\tFungi',
      '3\t\tspecies\tFungi',
      '4\tLactarius deliciosus (L.) Gray\tSPECIES\tFungi',
    ].join('\r\n');
    const parsed = parseChecklist(text);
    expect(parsed.format).toBe('darwin-core');
    expect(parsed.names).toEqual([
      { name: 'Amanitaceae', rank: 'family' },
      { name: 'Amanita muscaria', rank: 'species' },
      { name: 'Lactarius deliciosus', rank: 'species' },
    ]);
    expect(parsed.skippedLines).toEqual([4]);
  });

  it('reads a comma-separated one with quoted cells and a term URI header', () => {
    const text = [
      'id,http://rs.tdwg.org/dwc/terms/scientificName,dwc:taxonRank',
      '1,"Cortinarius violaceus (L.) Gray, 1821",species',
      '2,Hygrocybe,genus',
    ].join('\n');
    const parsed = parseChecklist(text);
    expect(parsed.format).toBe('darwin-core');
    expect(parsed.names).toEqual([
      { name: 'Cortinarius violaceus', rank: 'species' },
      { name: 'Hygrocybe', rank: 'genus' },
    ]);
    expect(parsed.skipped).toBe(0);
  });
});
