// An image's 1-based place in a filtered, sorted listing (the Detail view's "12 of 36"), from rank checkpoints on
// the sort key's index (listing-ranks.ts): O(STRIDE) per step once the filter's checkpoints are built for this
// catalogue version. Each sort names the index its pages walk; the taxon order is two walks, as its pages are read:
// images whose key is '' (no label) by rowid, then labelled images by label_taxon (taxon, image id).
import type { ApiParsedInput } from '../../../src-shared/api';
import type { Db } from './database';
import { imageFilter } from './image-filters';
import { matchesInWalk, rankInWalk, STRIDE, type RankKey } from './listing-ranks';
import { BLANK, BLANK_WALK, IMAGE_WALKS, NAMED_WALK, stateWalk } from './listing-walks';

type PositionQuery = Omit<ApiParsedInput<'images.neighbours'>, 'id'>;

/**
 * The 1-based place of the image with sort key `key` and id `id` among the filter's matches in this sort and
 * order; the image must match the filter, and `total` is the filter's count (images.list's total). Label terms
 * are written `+l.` so that no label index drives a count: every count walks the sort key's index, bounded by
 * the checkpoints.
 */
export function positionInListing(db: Db, q: PositionQuery, key: RankKey, id: number, total: number, stride = STRIDE): number {
  const filter = imageFilter(q, false);
  const desc = q.order !== 'asc';
  if (q.sort === 'created' && q.labelState && q.labelState !== 'unlabelled')
    return 1 + rankInWalk(db, stateWalk(q.labelState), desc, filter, { key, id }, stride);
  if (q.sort !== 'taxon') return 1 + rankInWalk(db, IMAGE_WALKS[q.sort], desc, filter, { key, id }, stride);
  // Two parts, blanks first ascending and last descending: an image of the second part comes after every match
  // of the first, and then its place in its own part. Only the image's part is walked. The named matches are
  // counted on label_taxon (its checkpoints taken to the end); the blanks are the rest of the filter's count, which spares a
  // count over every image and its label.
  const named = { walk: NAMED_WALK, filter, at: { key, id } };
  const blank = { walk: BLANK_WALK, filter: { ...filter, where: [...filter.where, BLANK] }, at: { key: id, id } };
  const [first, second] = desc ? [named, blank] : [blank, named];
  const inFirst = (key === '') === (first === blank);
  const part = inFirst ? first : second;
  const namedMatches = () => matchesInWalk(db, NAMED_WALK, desc, filter, stride);
  const earlier = inFirst ? 0 : first === named ? namedMatches() : total - namedMatches();
  return 1 + earlier + rankInWalk(db, part.walk, desc, part.filter, part.at, stride);
}
