// Which human decisions may follow which label state, and how a verification at a coarser rank is worked out.
import type { LabelState, TaxonRank } from '../../../src-shared/model';
import { TAXON_RANKS } from '../../../src-shared/model';
import { SporeprintError } from '../errors';

export type HumanState = 'human_verified' | 'disputed';

/**
 * A claim or a suggestion can be verified or disputed; a dispute is settled by a verification (possibly with a
 * new taxon). A human verification is final except through undo, so a stray bulk action cannot flip it.
 */
const ALLOWED: Record<LabelState | 'none', readonly HumanState[]> = {
  none: ['human_verified'],
  source_claimed: ['human_verified', 'disputed'],
  model_suggested: ['human_verified', 'disputed'],
  disputed: ['human_verified'],
  human_verified: [],
};

export function assertTransition(imageId: number, from: LabelState | null, to: HumanState): void {
  if (ALLOWED[from ?? 'none'].includes(to)) return;
  const hint =
    from === 'human_verified'
      ? ' (undo the verification first)'
      : from === null
        ? ' (an unlabelled image can only be verified, with --taxon)'
        : '';
  throw new SporeprintError('INVALID_TRANSITION', `image ${imageId}: cannot go from ${from ?? 'unlabelled'} to ${to}${hint}`);
}

/** Ranks from coarse (kingdom) to fine (form). */
export function isCoarserOrEqual(rank: TaxonRank, than: TaxonRank): boolean {
  return TAXON_RANKS.indexOf(rank) <= TAXON_RANKS.indexOf(than);
}

/**
 * The taxon a verification at `rank` means when no taxon is given: the genus of a binomial is its first word.
 * Other ranks cannot be derived from a name and need an explicit taxon.
 */
export function taxonAtRank(imageId: number, taxon: string, from: TaxonRank, rank: TaxonRank): string {
  if (rank === from) return taxon;
  const words = taxon.trim().split(/\s+/);
  if (rank === 'genus' && isCoarserOrEqual(rank, from) && words.length >= 2) return words[0]!;
  if (rank === 'species' && isCoarserOrEqual(rank, from) && words.length >= 3) return words.slice(0, 2).join(' ');
  throw new SporeprintError('INVALID_INPUT', `image ${imageId}: give --taxon for a ${rank}-level label of "${taxon}" (${from})`);
}
