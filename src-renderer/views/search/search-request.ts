// What a search asks for: the query (words, a dropped photo, an image of the library) and the CLI's filters.
import type { ApiInput } from '../../../src-shared/api';
import type { LabelState } from '../../../src-shared/model';

export const SEARCH_LIMIT = 60;

export type SearchQuery =
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytesBase64: string; name: string; mimeType: string }
  | { kind: 'image'; imageId: number };

/** A submitted query: `seq` tells two submissions of the same query apart, so each one runs and is cached apart. */
export type SearchRequest = SearchQuery & { seq: number };

/** The query's part of the cache key: what it asks (never the photo's bytes, which would be hashed on every render). */
export function requestKey(request: SearchRequest | null): readonly unknown[] {
  if (!request) return ['none'];
  if (request.kind === 'text') return ['text', request.text, request.seq];
  if (request.kind === 'image') return ['image', request.imageId, request.seq];
  return ['bytes', request.name, request.seq];
}

/** The filters `sporeprint search` has: --label-state, --taxon, --min-quality, --hq. Undefined is "any". */
export interface SearchFilters {
  labelState?: LabelState;
  taxon?: string;
  minQuality?: number;
  hq?: boolean;
}

type FilterInput = Pick<ApiInput<'search.text'>, 'labelState' | 'taxon' | 'minQuality' | 'hq' | 'limit'>;

/** The filters as the contract takes them: only those set, the taxon trimmed, an empty taxon dropped. */
export function filterInput(filters: SearchFilters): FilterInput {
  const taxon = filters.taxon?.trim();
  return {
    limit: SEARCH_LIMIT,
    ...(filters.labelState ? { labelState: filters.labelState } : {}),
    ...(taxon ? { taxon } : {}),
    ...(filters.minQuality !== undefined && filters.minQuality > 0 ? { minQuality: filters.minQuality } : {}),
    ...(filters.hq !== undefined ? { hq: filters.hq } : {}),
  };
}

/** The API call of a query with its filters. */
export function searchCall(
  query: SearchQuery,
  filters: SearchFilters,
): { method: 'search.text'; input: ApiInput<'search.text'> } | { method: 'search.image'; input: ApiInput<'search.image'> } {
  const rest = filterInput(filters);
  if (query.kind === 'text') return { method: 'search.text', input: { text: query.text, ...rest } };
  if (query.kind === 'image') return { method: 'search.image', input: { imageId: query.imageId, ...rest } };
  return { method: 'search.image', input: { bytesBase64: query.bytesBase64, ...rest } };
}

/** The query in a few words, for the line above the results. */
export function describeQuery(query: SearchQuery): string {
  if (query.kind === 'text') return `“${query.text}”`;
  if (query.kind === 'bytes') return query.name;
  return `image ${query.imageId}`;
}

/** The active filters in words ("human verified, taxon Amanita, quality ≥ 60, HQ only"), or "" when none is set. */
export function describeFilters(filters: SearchFilters): string {
  const input = filterInput(filters);
  const parts: string[] = [];
  if (input.labelState) parts.push(input.labelState.replace(/_/g, ' '));
  if (input.taxon) parts.push(`taxon ${input.taxon}`);
  if (input.minQuality !== undefined) parts.push(`quality ≥ ${input.minQuality}`);
  if (input.hq !== undefined) parts.push(input.hq ? 'HQ only' : 'not HQ');
  return parts.join(', ');
}

/** Why these words cannot be searched for, or null. */
export function emptyQueryProblem(text: string): string | null {
  return text.trim() ? null : 'Type what you are looking for first (e.g. “orange gills on a pine stump”), or drop a photo below.';
}
