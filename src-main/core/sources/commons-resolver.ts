// Wikimedia Commons: file search (generator=search, namespace 6) with imageinfo url, size and licence metadata.
import * as z from 'zod';
import { normalizeLicense } from '../../../src-shared/licenses';
import { rankOfScientificName } from '../ingest/taxon-from-folder';
import type { HttpClient } from '../net/http-client';
import type { Candidate, ResolveRequest, Resolver } from './candidate';
import { allowedLicense } from './licence-filter';

const PAGE_SIZE = 50;
const MAX_PAGES = 5;

/** Each extmetadata field is { value, source, hidden? }; a value that is not text (multi-language maps) is ignored. */
const metaValue = z
  .object({ value: z.unknown() })
  .nullish()
  .transform((m) => (typeof m?.value === 'string' || typeof m?.value === 'number' ? String(m.value) : null));
const extMetadataSchema = z.object({
  LicenseShortName: metaValue,
  LicenseUrl: metaValue,
  License: metaValue,
  Artist: metaValue,
  Credit: metaValue,
  /** The credit line the author asks for (set by {{Attribution}} templates), when there is one. */
  Attribution: metaValue,
});
const imageInfoSchema = z.object({
  url: z.string().nullish(),
  descriptionurl: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
  mime: z.string().nullish(),
  // PHP serialises a file without metadata as an empty list, not an object.
  extmetadata: z.union([extMetadataSchema, z.array(z.unknown()).transform(() => null)]).nullish(),
});
const pageSchema = z.object({
  pageid: z.number().nullish(),
  title: z.string().nullish(),
  index: z.number().nullish(),
  imageinfo: z.array(imageInfoSchema).nullish(),
});
const responseSchema = z.object({
  continue: z.record(z.string(), z.union([z.string(), z.number()])).nullish(),
  // formatversion=2 lists pages; the default (1) keys them by page id.
  query: z.object({ pages: z.union([z.array(pageSchema), z.record(z.string(), pageSchema)]) }).nullish(),
  error: z.object({ code: z.string().nullish(), info: z.string().nullish() }).nullish(),
});

export class CommonsResolver implements Resolver {
  readonly source = 'commons' as const;

  constructor(
    private readonly apiUrl: string,
    private readonly http: HttpClient,
  ) {}

  async resolve({ taxon, want, licenses, signal }: ResolveRequest): Promise<Candidate[]> {
    const out: Candidate[] = [];
    let cont: Record<string, string> = { continue: '' };
    for (let page = 0; page < MAX_PAGES && out.length < want; page++) {
      const url = new URL(this.apiUrl);
      const q = url.searchParams;
      q.set('action', 'query');
      q.set('format', 'json');
      q.set('formatversion', '2');
      q.set('generator', 'search');
      q.set('gsrsearch', `"${taxon}" filetype:bitmap`);
      q.set('gsrnamespace', '6');
      q.set('gsrlimit', String(PAGE_SIZE));
      q.set('prop', 'imageinfo');
      q.set('iiprop', 'url|size|mime|extmetadata');
      q.set('iiextmetadatafilter', 'LicenseShortName|LicenseUrl|License|Artist|Credit|Attribution');
      for (const [k, v] of Object.entries(cont)) q.set(k, v);
      const parsed = responseSchema.safeParse(await this.http.getJson(url.toString(), signal));
      if (!parsed.success) throw new Error(`Commons answered an unexpected shape (${parsed.error.issues[0]?.message ?? ''})`);
      if (parsed.data.error)
        throw new Error(`Commons refused the query: ${parsed.data.error.code ?? ''} ${parsed.data.error.info ?? ''}`.trim());
      const pages = parsed.data.query?.pages ?? [];
      const list = (Array.isArray(pages) ? pages : Object.values(pages)).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      for (const p of list) {
        const c = candidateOf(p, taxon);
        if (c && allowedLicense(c.license, licenses)) out.push(c);
      }
      if (!parsed.data.continue) break;
      cont = Object.fromEntries(Object.entries(parsed.data.continue).map(([k, v]) => [k, String(v)]));
    }
    return out;
  }
}

function candidateOf(page: z.infer<typeof pageSchema>, taxon: string): Candidate | null {
  const info = page.imageinfo?.[0];
  if (!info?.url) return null;
  if (info.mime && !info.mime.startsWith('image/')) return null;
  const meta = info.extmetadata;
  const licenseText = meta?.LicenseShortName ?? meta?.LicenseUrl ?? meta?.License ?? '';
  // The author's requested credit line first; otherwise the artist, then where the file came from.
  const artist = plainText(meta?.Attribution ?? '') || plainText(meta?.Artist ?? '') || creditOf(meta?.Credit);
  return {
    source: 'commons',
    url: info.url,
    width: info.width ?? null,
    height: info.height ?? null,
    license: normalizeLicense(licenseText).id,
    attribution: artist || null,
    pageUrl: info.descriptionurl ?? null,
    observationId: null,
    taxon,
    rank: rankOfScientificName(taxon),
  };
}

/** Credit is where the file came from; "Own work" (the uploader's) names no one, so it is no attribution. */
function creditOf(html: string | null | undefined): string {
  const credit = plainText(html ?? '');
  return /^own work\b/i.test(credit) ? '' : credit;
}

/** extmetadata values are HTML fragments ("<a href=...>Name</a>"); attribution wants the words. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
