// The indexes a listing's ranks and totals are counted along (listing-ranks.ts): each sort's index over image, the
// taxon order's two parts, a label state's stretch of label_state.
import type { ApiParsedInput } from '../../../src-shared/api';
import type { IndexWalk } from './listing-ranks';

type ImageSort = ApiParsedInput<'images.list'>['sort'];

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
export const IMAGE_WALKS: Record<Exclude<ImageSort, 'taxon'>, IndexWalk> = {
  created: imageWalk('NOT INDEXED', null, null),
  quality: imageWalk('INDEXED BY image_quality', 'i.quality_score', 'quality'),
  size: imageWalk('INDEXED BY image_file_size', 'i.file_size', 'size'),
  resolution: imageWalk('INDEXED BY image_resolution', 'max(i.width, i.height)', 'resolution'),
};

/** Images whose taxon key is '' (no label, or an empty taxon), by rowid; the filter adds the blank test. */
export const BLANK_WALK = IMAGE_WALKS.created;
export const BLANK = `(l.image_id IS NULL OR l.taxon = '')`;

/** Labelled images in label_taxon order (the image joined for filter terms on its columns). */
export const NAMED_WALK: IndexWalk = {
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
export function stateWalk(state: string): IndexWalk {
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

/** Every image, by rowid. */
export const CREATED_WALK = IMAGE_WALKS.created;
