// Chooses which candidates of a taxon to fetch: allowed licence, not already known, largest first, and never one
// known to be below the HQ size (long edge < HQ_MIN_LONG_EDGE), whatever the catalogue already holds: a gap in
// HQ images is not filled with a photo that cannot close it.
import { HQ_MIN_LONG_EDGE } from '../../../src-shared/defaults';
import { longEdge, type Candidate } from './candidate';
import { allowedLicense } from './licence-filter';

export interface PickOptions {
  want: number;
  licenses: readonly string[];
  isKnown: (url: string) => boolean;
}

export function pickCandidates(candidates: Candidate[], { want, licenses, isKnown }: PickOptions): Candidate[] {
  if (want <= 0) return [];
  const seen = new Set<string>();
  const usable = candidates.filter((c) => {
    if (seen.has(c.url)) return false;
    seen.add(c.url);
    return allowedLicense(c.license, licenses) && !isKnown(c.url);
  });
  // Tiers: known HQ size, then unknown size (GBIF gives none; it may well be HQ), then known small.
  const tier = (c: Candidate) => {
    const edge = longEdge(c);
    return edge === null ? 1 : edge >= HQ_MIN_LONG_EDGE ? 0 : 2;
  };
  const ranked = usable
    .map((c, order) => ({ c, order, tier: tier(c), edge: longEdge(c) ?? 0 }))
    .sort((a, b) => a.tier - b.tier || b.edge - a.edge || a.order - b.order);
  return ranked
    .filter((r) => r.tier < 2)
    .slice(0, want)
    .map((r) => r.c);
}
