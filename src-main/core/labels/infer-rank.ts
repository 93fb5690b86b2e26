// Guesses the rank of a bare taxon name (as produced by a model or a vocabulary file) from its shape.
import type { TaxonRank } from '../../../src-shared/model';

const FAMILY_SUFFIX = /aceae$/i;
const ORDER_SUFFIX = /ales$/i;

/** Binomials are species, trinomials subspecies; a single word is a genus unless its suffix says family or order. */
export function inferRank(taxon: string): TaxonRank {
  const words = taxon.trim().split(/\s+/).filter(Boolean);
  if (words.length >= 3) {
    if (/^var\.?$/i.test(words[2] ?? '') || /^var\.?$/i.test(words[words.length - 2] ?? '')) return 'variety';
    if (/^f\.?$/i.test(words[2] ?? '')) return 'form';
    return 'subspecies';
  }
  if (words.length === 2) return 'species';
  const word = words[0] ?? '';
  if (FAMILY_SUFFIX.test(word)) return 'family';
  if (ORDER_SUFFIX.test(word)) return 'order';
  return 'genus';
}
