// Reads a source label from a folder name that looks like a scientific name ("Amanita muscaria").
import type { TaxonRank } from '../../../src-shared/model';

const INFRA = { 'var.': 'variety', 'subsp.': 'subspecies', 'ssp.': 'subspecies', 'f.': 'form' } as const;

/**
 * A binomial or trinomial: capitalised genus, lower-case epithet(s). Single words are not taken
 * ("Photos", "Fungi" and "Downloads" look like genera), nor anything with digits.
 */
export function taxonFromFolderName(name: string): { taxon: string; rank: TaxonRank } | null {
  const words = name.replace(/[_]+/g, ' ').trim().split(/\s+/);
  if (words.length < 2 || words.length > 4) return null;
  const [genus, epithet, ...rest] = words as [string, string, ...string[]];
  if (!/^[A-Z][a-z]{2,}$/.test(genus) || !/^[a-z][a-z-]{2,}$/.test(epithet)) return null;
  if (rest.length === 0) return { taxon: `${genus} ${epithet}`, rank: 'species' };
  const [marker, infra] = rest;
  const rank = marker ? INFRA[marker as keyof typeof INFRA] : undefined;
  if (rest.length !== 2 || !rank || !infra || !/^[a-z][a-z-]{2,}$/.test(infra)) return null;
  return { taxon: `${genus} ${epithet} ${marker} ${infra}`, rank };
}

/** The rank a bare scientific name implies (used for sidecar names that carry no rank). */
export function rankOfScientificName(name: string): TaxonRank {
  const words = name.trim().split(/\s+/);
  if (words.length === 1) return 'genus';
  const marker = words[2];
  if (marker && marker in INFRA) return INFRA[marker as keyof typeof INFRA];
  return 'species';
}
