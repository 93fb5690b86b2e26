// An image's 1-based place in a filtered, sorted listing (the Detail view's "12 of 36"), from rank checkpoints on
// the sort key's index (listing-ranks.ts): O(STRIDE) per step once the filter's checkpoints are built for this
// catalogue version. Each sort names the index its pages walk; the taxon order is two walks, as its pages are read:
// images whose key is '' (no label) by rowid, then labelled images by label_taxon (taxon, image id).
import type { ApiParsedInput } from '../../../src-shared/api';
import type { Db } from './database';
import { imageFilter } from './image-pages';
import { matchesInWalk, rankInWalk, STRIDE, type IndexWalk, type RankKey } from './listing-ranks';

type PositionQuery = Omit<ApiParsedInput<'images.neighbours'>, 'id'>;

const LABEL = { alias: 'l', clause: 'LEFT JOIN label l ON l.image_id = i.id' };
const imageWalk = (pin: string, key: string | null, loggedKey: IndexWalk['loggedKey']): IndexWalk => ({
  table: 'image i',
  pin,
  join: LABEL,
  key,
  loggedKey,
  id: 'i.id',
  base: [],
  params: {},
});
/** The walks over image, each pinned to the index the sort's pages use (NOT INDEXED still seeks the rowid). */
const IMAGE_WALKS: Record<Exclude<PositionQuery['sort'], 'taxon'>, IndexWalk> = {
  created: imageWalk('NOT INDEXED', null, null),
  quality: imageWalk('INDEXED BY image_quality', 'i.quality_score', 'quality'),
  size: imageWalk('INDEXED BY image_file_size', 'i.file_size', 'size'),
  resolution: imageWalk('INDEXED BY image_resolution', 'max(i.width, i.height)', 'resolution'),
};

/** Images whose taxon key is '' (no label, or an empty taxon), by rowid; the filter adds the blank test. */
const BLANK_WALK = IMAGE_WALKS.created;
const BLANK = `(l.image_id IS NULL OR l.taxon = '')`;

/** Labelled images in label_taxon order (the image joined for filter terms on its columns). */
const NAMED_WALK: IndexWalk = {
  table: 'label l',
  pin: 'INDEXED BY label_taxon',
  join: { alias: 'i', clause: 'CROSS JOIN image i ON i.id = l.image_id' },
  key: 'l.taxon',
  loggedKey: 'taxon',
  id: 'l.image_id',
  base: [`l.taxon > ''`],
  params: {},
};

/**
 * The newest- or oldest-first listing of one label state: label_state holds (state, image id), so the walk visits
 * only that state's labels (114k of 1M in the bench) instead of probing every image's label.
 */
function stateWalk(state: string): IndexWalk {
  return {
    table: 'label l',
    pin: 'INDEXED BY label_state',
    join: { alias: 'i', clause: 'CROSS JOIN image i ON i.id = l.image_id' },
    key: null,
    loggedKey: null,
    id: 'l.image_id',
    base: ['l.state = @walkState'],
    params: { walkState: state },
  };
}

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
