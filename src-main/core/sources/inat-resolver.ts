// iNaturalist v1 /observations: research-grade observations of a taxon with openly licensed photos.
import * as z from 'zod';
import { normalizeLicense } from '../../../src-shared/licenses';
import { TAXON_RANKS, type TaxonRank } from '../../../src-shared/model';
import type { HttpClient } from '../net/http-client';
import { rankOfScientificName } from '../ingest/taxon-from-folder';
import type { Candidate, ResolveRequest, Resolver } from './candidate';
import { allowedLicense } from './licence-filter';

const PER_PAGE = 50;
const MAX_PAGES = 5;

const photoSchema = z.object({
  id: z.number().nullish(),
  url: z.string().nullish(),
  license_code: z.string().nullish(),
  attribution: z.string().nullish(),
  // null for photos iNaturalist did not measure (older and Flickr-hosted ones).
  original_dimensions: z.object({ width: z.number().nullish(), height: z.number().nullish() }).nullish(),
});
const observationSchema = z.object({
  id: z.number(),
  uri: z.string().nullish(),
  taxon: z.object({ name: z.string().nullish(), rank: z.string().nullish() }).nullish(),
  user: z.object({ login: z.string().nullish(), name: z.string().nullish() }).nullish(),
  photos: z.array(photoSchema).nullish(),
});
const pageSchema = z.object({
  total_results: z.number().nullish(),
  page: z.number().nullish(),
  per_page: z.number().nullish(),
  results: z.array(observationSchema),
});

/** iNaturalist's photo_license codes for our licence families (iNat has no public-domain mark for photos). */
const INAT_CODES: Record<string, string> = {
  CC0: 'cc0',
  'CC-BY': 'cc-by',
  'CC-BY-SA': 'cc-by-sa',
  'CC-BY-NC': 'cc-by-nc',
  'CC-BY-NC-SA': 'cc-by-nc-sa',
  'CC-BY-ND': 'cc-by-nd',
  'CC-BY-NC-ND': 'cc-by-nc-nd',
};

/**
 * The photo URLs in the API point at the 75px "square"; the original sits beside it. Photos iNaturalist does not
 * host (Flickr imports: ".../27469365413_862471775d_s.jpg") have no original to derive: null.
 */
export function originalPhotoUrl(url: string): string | null {
  const original = url.replace(/\/square(\.[a-z]+)(\?|$)/i, '/original$1$2');
  return original === url ? null : original;
}

/** iNaturalist's attribution for CC0 photos is only "no rights reserved": it names nobody. */
function namesSomeone(attribution: string): boolean {
  return !/^no rights reserved$/i.test(attribution);
}

export class InatResolver implements Resolver {
  readonly source = 'inat' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly http: HttpClient,
  ) {}

  async resolve({ taxon, want, licenses, signal }: ResolveRequest): Promise<Candidate[]> {
    const codes = [...new Set(licenses.map((l) => INAT_CODES[normalizeFamily(l)]).filter((c): c is string => !!c))];
    if (codes.length === 0) return [];
    const out: Candidate[] = [];
    for (let page = 1; page <= MAX_PAGES && out.length < want; page++) {
      const url = new URL(joinPath(this.baseUrl, 'observations'));
      const q = url.searchParams;
      q.set('taxon_name', taxon);
      q.set('quality_grade', 'research');
      q.set('photos', 'true');
      q.set('photo_license', codes.join(','));
      q.set('order_by', 'votes');
      q.set('per_page', String(PER_PAGE));
      q.set('page', String(page));
      const parsed = pageSchema.safeParse(await this.http.getJson(url.toString(), signal));
      if (!parsed.success) throw new Error(`iNaturalist answered an unexpected shape (${parsed.error.issues[0]?.message ?? ''})`);
      const { results, total_results } = parsed.data;
      for (const obs of results) for (const c of candidatesOf(obs, taxon)) if (allowedLicense(c.license, licenses)) out.push(c);
      const perPage = parsed.data.per_page ?? PER_PAGE;
      if (results.length === 0 || (total_results != null && page * perPage >= total_results)) break;
    }
    return out;
  }
}

function candidatesOf(obs: z.infer<typeof observationSchema>, requested: string): Candidate[] {
  const taxon = obs.taxon?.name?.trim() || requested;
  const apiRank = obs.taxon?.rank?.toLowerCase();
  const rank: TaxonRank =
    apiRank && (TAXON_RANKS as readonly string[]).includes(apiRank) ? (apiRank as TaxonRank) : rankOfScientificName(taxon);
  const observer = obs.user?.name?.trim() || obs.user?.login?.trim() || null;
  const out: Candidate[] = [];
  for (const photo of obs.photos ?? []) {
    const url = photo.url ? originalPhotoUrl(photo.url) : null;
    // Without an original only the 75px square is left: no use as a high-quality candidate.
    if (!url) continue;
    const dims = photo.original_dimensions;
    const attribution = photo.attribution?.trim();
    out.push({
      source: 'inat',
      url,
      width: dims?.width ?? null,
      height: dims?.height ?? null,
      license: normalizeLicense(photo.license_code).id,
      attribution: attribution && namesSomeone(attribution) ? attribution : observer,
      pageUrl: photo.id != null ? `https://www.inaturalist.org/photos/${photo.id}` : (obs.uri ?? null),
      observationId: String(obs.id),
      taxon,
      rank,
    });
  }
  return out;
}

function normalizeFamily(allowed: string): string {
  return allowed.replace(/-\d\.\d$/, '').replace(/^CC0-1\.0$/, 'CC0');
}

export function joinPath(base: string, segment: string): string {
  return `${base.replace(/\/+$/, '')}/${segment}`;
}
