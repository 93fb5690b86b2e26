// GBIF: /species/match turns the name into a taxon key, /occurrence/search lists StillImage media of it.
import * as z from 'zod';
import { normalizeLicense } from '../../../src-shared/licenses';
import { TAXON_RANKS, type TaxonRank } from '../../../src-shared/model';
import { rankOfScientificName } from '../ingest/taxon-from-folder';
import type { HttpClient } from '../net/http-client';
import type { Candidate, ResolveRequest, Resolver } from './candidate';
import { joinPath } from './inat-resolver';
import { allowedLicense } from './licence-filter';

const PAGE_SIZE = 50;
const MAX_PAGES = 5;

const matchSchema = z.object({
  usageKey: z.number().nullish(),
  acceptedUsageKey: z.number().nullish(),
  canonicalName: z.string().nullish(),
  scientificName: z.string().nullish(),
  rank: z.string().nullish(),
  matchType: z.string().nullish(),
});
const mediaSchema = z.object({
  type: z.string().nullish(),
  format: z.string().nullish(),
  identifier: z.string().nullish(),
  references: z.string().nullish(),
  license: z.string().nullish(),
  rightsHolder: z.string().nullish(),
  creator: z.string().nullish(),
});
const occurrenceSchema = z.object({
  key: z.number(),
  species: z.string().nullish(),
  scientificName: z.string().nullish(),
  taxonRank: z.string().nullish(),
  license: z.string().nullish(),
  rightsHolder: z.string().nullish(),
  recordedBy: z.string().nullish(),
  references: z.string().nullish(),
  media: z.array(mediaSchema).nullish(),
});
const searchSchema = z.object({
  offset: z.number().nullish(),
  count: z.number().nullish(),
  endOfRecords: z.boolean().nullish(),
  results: z.array(occurrenceSchema),
});

export class GbifResolver implements Resolver {
  readonly source = 'gbif' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly http: HttpClient,
  ) {}

  async resolve({ taxon, want, licenses, signal }: ResolveRequest): Promise<Candidate[]> {
    const matchUrl = new URL(joinPath(this.baseUrl, 'species/match'));
    matchUrl.searchParams.set('name', taxon);
    const match = matchSchema.safeParse(await this.http.getJson(matchUrl.toString(), signal));
    if (!match.success) throw new Error(`GBIF species match answered an unexpected shape (${match.error.issues[0]?.message ?? ''})`);
    const taxonKey = match.data.acceptedUsageKey ?? match.data.usageKey;
    // A fuzzy or higher-rank match would fetch photos of some other taxon under this name.
    if (taxonKey == null || !['EXACT', undefined, null].includes(match.data.matchType)) return [];
    const name = match.data.canonicalName?.trim() || taxon;
    const matchRank = toRank(match.data.rank) ?? rankOfScientificName(name);

    const out: Candidate[] = [];
    for (let page = 0; page < MAX_PAGES && out.length < want; page++) {
      const url = new URL(joinPath(this.baseUrl, 'occurrence/search'));
      url.searchParams.set('taxonKey', String(taxonKey));
      url.searchParams.set('mediaType', 'StillImage');
      url.searchParams.set('limit', String(PAGE_SIZE));
      url.searchParams.set('offset', String(page * PAGE_SIZE));
      const parsed = searchSchema.safeParse(await this.http.getJson(url.toString(), signal));
      if (!parsed.success)
        throw new Error(`GBIF occurrence search answered an unexpected shape (${parsed.error.issues[0]?.message ?? ''})`);
      for (const occ of parsed.data.results)
        for (const c of candidatesOf(occ, name, matchRank)) if (allowedLicense(c.license, licenses)) out.push(c);
      if (parsed.data.endOfRecords !== false || parsed.data.results.length === 0) break;
    }
    return out;
  }
}

function candidatesOf(occ: z.infer<typeof occurrenceSchema>, name: string, rank: TaxonRank): Candidate[] {
  const out: Candidate[] = [];
  for (const m of occ.media ?? []) {
    if (!m.identifier || (m.type && m.type !== 'StillImage')) continue;
    if (m.format && !m.format.startsWith('image/')) continue;
    out.push({
      source: 'gbif',
      url: m.identifier,
      width: null,
      height: null,
      // GBIF: a record's licence covers its data, not its media; a media item without its own licence is
      // licence-unknown (and so never fetched under an allow-list), never given the occurrence's.
      license: normalizeLicense(m.license).id,
      attribution: m.rightsHolder?.trim() || m.creator?.trim() || occ.rightsHolder?.trim() || occ.recordedBy?.trim() || null,
      pageUrl: m.references ?? occ.references ?? `https://www.gbif.org/occurrence/${occ.key}`,
      observationId: String(occ.key),
      taxon: name,
      rank,
    });
  }
  return out;
}

export function toRank(raw: string | null | undefined): TaxonRank | null {
  const rank = raw?.toLowerCase();
  return rank && (TAXON_RANKS as readonly string[]).includes(rank) ? (rank as TaxonRank) : null;
}
