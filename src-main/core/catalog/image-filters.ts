// A grid query's filters as WHERE terms (its sort, order and page aside): shared by pages, totals and ranks.
import type { ApiParsedInput } from '../../../src-shared/api';

type FilterQuery = Omit<ApiParsedInput<'images.list'>, 'offset' | 'limit' | 'after'>;

export interface Filter {
  where: string[];
  params: Record<string, unknown>;
}

/**
 * The WHERE terms and parameters of a query's filters (not its sort or page). With `viaLabelIndexes` false the
 * label terms are written `+l.x`, which keeps SQLite from driving the query by a label index: then it walks the
 * sort key's index and stops after a page, instead of sorting every image the label filter matches.
 */
export function imageFilter(q: FilterQuery, viaLabelIndexes = true): Filter {
  const l = viaLabelIndexes ? 'l.' : '+l.';
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.ids) {
    where.push(`i.id IN (SELECT value FROM json_each(@ids))`);
    params.ids = JSON.stringify(q.ids);
  }
  if (q.labelState === 'unlabelled') where.push('l.image_id IS NULL');
  else if (q.labelState) {
    where.push(`${l}state = @labelState`);
    params.labelState = q.labelState;
  }
  if (q.taxon) {
    // A genus matches its species too.
    where.push(`(${l}taxon = @taxon OR ${l}taxon LIKE @taxonPrefix ESCAPE '\\')`);
    params.taxon = q.taxon;
    params.taxonPrefix = `${q.taxon.replace(/[\\%_]/g, (c) => `\\${c}`)} %`;
  }
  if (q.minQuality !== undefined) {
    where.push('i.quality_score >= @minQuality');
    params.minQuality = q.minQuality;
  }
  if (q.maxQuality !== undefined) {
    where.push('i.quality_score <= @maxQuality');
    params.maxQuality = q.maxQuality;
  }
  if (q.hq !== undefined) {
    where.push('i.is_hq = @hq');
    params.hq = q.hq ? 1 : 0;
  }
  if (q.format) {
    where.push('i.format = @format');
    params.format = q.format;
  }
  if (q.license) {
    where.push(`(i.license = @license OR i.license LIKE @licensePrefix)`);
    params.license = q.license;
    params.licensePrefix = `${q.license}-_._`;
  }
  if (q.hasLicense !== undefined) where.push(`i.license IS ${q.hasLicense ? 'NOT ' : ''}NULL`);
  if (q.hasDuplicates !== undefined)
    where.push(`${q.hasDuplicates ? '' : 'NOT '}EXISTS (SELECT 1 FROM cluster_member cm WHERE cm.image_id = i.id)`);
  return { where, params };
}
