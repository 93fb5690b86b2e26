// What a resolver returns for one remote photo: where the original is, what it shows, who owns it.
import type { SOURCE_NAMES } from '../../../src-shared/api/sources';
import type { TaxonRank } from '../../../src-shared/model';

export type SourceName = (typeof SOURCE_NAMES)[number];
/** Online APIs plus the media hosts a Darwin Core Archive points at. */
export type FetchSource = SourceName | 'dwca';

export interface Candidate {
  source: FetchSource;
  /** URL of the largest rendition the API offers; the dedupe key before download. */
  url: string;
  width: number | null;
  height: number | null;
  /** Normalised licence id (normalizeLicense), UNKNOWN when the API gave none. */
  license: string;
  attribution: string | null;
  /** Human-readable page of the photo or observation (cited in exports). */
  pageUrl: string | null;
  /** Observation / occurrence id; photos sharing it share an observation group. */
  observationId: string | null;
  taxon: string;
  rank: TaxonRank;
}

/** The taxon-scoped query each resolver answers. */
export interface ResolveRequest {
  taxon: string;
  /** Stop after this many usable candidates (licence already filtered when the API can). */
  want: number;
  licenses: readonly string[];
  signal: AbortSignal;
}

export interface Resolver {
  readonly source: SourceName;
  resolve(request: ResolveRequest): Promise<Candidate[]>;
}

export function longEdge(c: Pick<Candidate, 'width' | 'height'>): number | null {
  return c.width !== null && c.height !== null ? Math.max(c.width, c.height) : null;
}

/** The observation group stored on images: source-qualified so ids of different services never collide. */
export function observationGroupOf(c: Pick<Candidate, 'source' | 'observationId'>): string | null {
  return c.observationId ? `${c.source}:${c.observationId}` : null;
}
