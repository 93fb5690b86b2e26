// A filter's total (the grid page's "N images"), from rank checkpoints carried across this connection's writes
// (listing-ranks.ts): the total is the last checkpoint's count plus the tail after it, and a write recounts only the
// chunks its images left or entered (rank-repair.ts), so the first page after a label decision, a re-score, an
// ingest batch or a deletion costs a few chunk counts instead of a count over every image the filter reads. Where
// the checkpoints are rebuilt (another connection's commit, an overflowing change log) the total is walked again;
// inside a transaction, whose writes may be rolled back, it is one plain count, as it is for a filter on image
// columns alone (a count of one index, as cheap as a repair).
import type { ApiParsedInput } from '../../../src-shared/api';
import type { Db } from './database';
import { imageFilter } from './image-filters';
import { BLANK, BLANK_WALK, CREATED_WALK, NAMED_WALK, stateWalk } from './listing-walks';
import { matchesInWalk, STRIDE, type IndexWalk } from './listing-ranks';
import { EVERY_ENTRY, type Filter } from './rank-walk';
import { countOnce } from './version-cache';

type TotalQuery = Omit<ApiParsedInput<'images.list'>, 'offset' | 'limit' | 'after'>;

/**
 * The labels of one taxon and its species on label_taxon: 'Boletus' and 'Boletus edulis' lie in
 * ['Boletus', 'Boletus!'), as '!' is the character after the space that starts a species' epithet.
 */
function taxonWalk(taxon: string): IndexWalk {
  // The named labels' walk, narrowed to the taxon's stretch of the index.
  return {
    ...NAMED_WALK,
    base: ['l.taxon >= @walkTaxon', 'l.taxon < @walkTaxonEnd'],
    params: { walkTaxon: taxon, walkTaxonEnd: `${taxon}!` },
  };
}

/**
 * The walk whose entries hold every match and as few others as an index allows: a taxon's stretch of label_taxon,
 * a label state's of label_state, otherwise every image by rowid.
 */
function walkFor(q: TotalQuery): IndexWalk {
  if (q.taxon) return taxonWalk(q.taxon);
  if (q.labelState && q.labelState !== 'unlabelled') return stateWalk(q.labelState);
  return CREATED_WALK;
}

/** Whether a filter term reads label or cluster_member: a plain count then probes it for every image it reads. */
const readsAnotherTable = (term: string) => term.includes('l.') || term.includes('cluster_member');

/** The SQL count the total was before checkpoints carried it (and still is inside a transaction, or for listed ids). */
function plainCount(db: Db, filter: Filter): number {
  const whereOf = (terms: string[]) => (terms.length ? `WHERE ${terms.join(' AND ')}` : '');
  // Without a label filter the join cannot change the count (one label per image): count images alone.
  const from = filter.where.some((t) => t.includes('l.'))
    ? `FROM image i LEFT JOIN label l ON l.image_id = i.id ${whereOf(filter.where)}`
    : `FROM image i ${whereOf(filter.where)}`;
  return countOnce(db, from, filter.params);
}

/**
 * How many images match the query's filters. `stride` is the checkpoints' spacing (tests use small ones). The
 * walk is read in the listing's direction, so a newest-first grid shares its checkpoints with the Detail view's.
 */
export function filterTotal(db: Db, q: TotalQuery, stride = STRIDE): number {
  const filter = imageFilter(q);
  // Listed ids are a few probes by rowid; a transaction's writes may still be rolled back, and the log with them.
  // A filter on image columns alone is counted on one image index without a probe per row (2-4 ms at 1M after a
  // write, as cheap as a repair), where walking its checkpoints the first time cost 20-60x that (bench:grid).
  if (q.ids || db.inTransaction || !filter.where.some(readsAnotherTable)) return plainCount(db, filter);
  // Label terms written `+l.` keep every chunk's count on the walk's index (as the Detail view's ranks are counted).
  return matchesInWalk(db, walkFor(q), q.order !== 'asc', imageFilter(q, false), stride);
}

/** Every image in the library: one count of an image index per catalogue version (see filterTotal). */
export function libraryTotal(db: Db): number {
  return plainCount(db, EVERY_ENTRY);
}

/** Images that sort under the taxon key '' (no label, or an empty taxon): the taxon order's first or last part. */
export function blankTotal(db: Db, stride = STRIDE): number {
  const blank: Filter = { where: [BLANK], params: {} };
  if (db.inTransaction) return plainCount(db, blank);
  return matchesInWalk(db, BLANK_WALK, true, blank, stride);
}
