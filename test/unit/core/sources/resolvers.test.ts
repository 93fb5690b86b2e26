// Each resolver against a loopback server answering in its API's shape: pagination, licences, missing fields.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../../src-main/core/net/http-client';
import { CommonsResolver, plainText } from '../../../../src-main/core/sources/commons-resolver';
import { GbifResolver } from '../../../../src-main/core/sources/gbif-resolver';
import { InatResolver, originalPhotoUrl } from '../../../../src-main/core/sources/inat-resolver';
import { startFakeSources, type FakeSources, type FakeWorld } from '../../../fixtures/fake-sources';

const bytes = Buffer.from('x');
const LICENSES = ['CC0', 'PD', 'CC-BY', 'CC-BY-SA'];
const world: FakeWorld = {
  inat: [
    // 60 observations of one taxon: more than one page (50 per page).
    ...Array.from({ length: 60 }, (_, i) => ({
      id: 100 + i,
      taxon: 'Amanita muscaria',
      photos: [
        {
          id: 1000 + i * 2,
          bytes,
          width: 2048,
          height: 1536,
          license: i % 3 === 0 ? 'cc-by-nc' : 'cc-by',
          attribution: `(c) Observer ${i}, some rights reserved (CC BY)`,
        },
        { id: 1001 + i * 2, bytes, width: 1024, height: 768, license: 'cc0', omitDimensions: i === 1 },
      ],
    })),
    { id: 900, taxon: 'Boletus edulis', photos: [{ id: 9000, bytes, width: 3000, height: 2000, license: 'cc-by-nc' }] },
  ],
  gbif: [
    {
      key: 1,
      taxon: 'Amanita muscaria',
      license: 'http://creativecommons.org/licenses/by/4.0/legalcode',
      media: [
        { id: 1, bytes, rightsHolder: 'Herbarium A' },
        { id: 2, bytes, license: 'http://creativecommons.org/licenses/by-nc/4.0/', creator: 'B' },
      ],
    },
    ...Array.from({ length: 55 }, (_, i) => ({
      key: 10 + i,
      taxon: 'Amanita muscaria',
      // The occurrence API writes the interpreted licence as its legal-code URL.
      license: 'http://creativecommons.org/publicdomain/zero/1.0/legalcode',
      // Media licences as GBIF writes them: a legal-code URL, or its enum code (CC0_1_0).
      media: [
        { id: 10 + i, bytes, creator: `C${i}`, license: i % 2 ? 'CC0_1_0' : 'http://creativecommons.org/publicdomain/zero/1.0/legalcode' },
      ],
    })),
  ],
  commons: Array.from({ length: 70 }, (_, i) => ({
    name: `Amanita_muscaria_${i}.jpg`,
    taxon: 'Amanita muscaria',
    bytes,
    width: 4000 - i,
    height: 3000,
    license: i % 10 === 0 ? 'CC BY-NC-SA 2.0' : i % 2 ? 'CC BY-SA 4.0' : 'Public domain',
    artistHtml: `<a href="//commons.wikimedia.org/wiki/User:P${i}" title="User:P${i}">Photographer ${i}</a>`,
  })),
};

let fake: FakeSources;
const http = () =>
  new HttpClient({
    name: 't',
    userAgent: 'Sporeprint-test',
    idleTimeoutMs: 2000,
    maxRetries: 2,
    backoffBaseMs: 10,
    backoffMaxMs: 20,
    minIntervalMs: 0,
    breakerThreshold: 5,
    breakerCoolDownMs: 1000,
  });
const signal = new AbortController().signal;
const calls = (p: string) => fake.server.requests.filter((r) => r.path === p);

beforeAll(async () => {
  fake = await startFakeSources(world);
});
afterAll(() => fake.server.close());
afterEach(() => {
  fake.server.requests.length = 0;
});

describe('iNaturalist resolver', () => {
  it('pages through research-grade observations, returns original URLs, dimensions, licence and attribution', async () => {
    const r = new InatResolver(fake.env.INAT_API_URL!, http());
    const got = await r.resolve({ taxon: 'Amanita muscaria', want: 500, licenses: LICENSES, signal });
    const requests = calls('/inat/v1/observations');
    expect(requests.map((q) => q.query.get('page'))).toEqual(['1', '2']);
    expect(requests[0]!.query.get('quality_grade')).toBe('research');
    expect(requests[0]!.query.get('photo_license')).toBe('cc0,cc-by,cc-by-sa');
    // 60 observations x 2 photos, minus the 20 cc-by-nc photos the client filters itself.
    expect(got).toHaveLength(100);
    expect(got.every((c) => c.url.endsWith('/original.jpg'))).toBe(true);
    expect(got.find((c) => c.url.includes('/1000/'))).toBeUndefined();
    const byObs = got.find((c) => c.url.includes('/1002/'))!;
    expect(byObs).toMatchObject({
      source: 'inat',
      width: 2048,
      height: 1536,
      license: 'CC-BY',
      observationId: '101',
      taxon: 'Amanita muscaria',
      rank: 'species',
    });
    expect(byObs.attribution).toContain('Observer 1');
    // A CC0 photo with original_dimensions null and the nameless "no rights reserved": size unknown, the observer is credited.
    const bare = got.find((c) => c.url.includes('/1003/'))!;
    expect(bare).toMatchObject({ width: null, height: null, license: 'CC0-1.0', attribution: 'observer101' });
  });

  it('stops paging once it has enough', async () => {
    const r = new InatResolver(fake.env.INAT_API_URL!, http());
    await r.resolve({ taxon: 'Amanita muscaria', want: 5, licenses: LICENSES, signal });
    expect(calls('/inat/v1/observations')).toHaveLength(1);
  });

  it('returns nothing when only disallowed licences exist', async () => {
    const r = new InatResolver(fake.env.INAT_API_URL!, http());
    expect(await r.resolve({ taxon: 'Boletus edulis', want: 5, licenses: LICENSES, signal })).toEqual([]);
    expect(await r.resolve({ taxon: 'Boletus edulis', want: 5, licenses: ['CC-BY-NC'], signal })).toHaveLength(1);
  });

  it('maps square photo URLs to originals, and has none for photos hosted elsewhere', () => {
    expect(originalPhotoUrl('https://inaturalist-open-data.s3.amazonaws.com/photos/1/square.jpeg?1545')).toBe(
      'https://inaturalist-open-data.s3.amazonaws.com/photos/1/original.jpeg?1545',
    );
    expect(originalPhotoUrl('https://live.staticflickr.com/7355/27469365413_862471775d_s.jpg')).toBeNull();
  });
});

describe('GBIF resolver', () => {
  it('matches the name to a taxon key and pages through StillImage occurrences', async () => {
    const r = new GbifResolver(fake.env.GBIF_API_URL!, http());
    const got = await r.resolve({ taxon: 'Amanita muscaria', want: 500, licenses: LICENSES, signal });
    expect(calls('/gbif/v1/species/match')).toHaveLength(1);
    const pages = calls('/gbif/v1/occurrence/search');
    expect(pages.map((p) => p.query.get('offset'))).toEqual(['0', '50']);
    expect(pages[0]!.query.get('mediaType')).toBe('StillImage');
    // 56 occurrences, 57 media: one CC-BY-NC, and one without its own licence. The occurrence's CC BY covers the
    // record's data, not its media: that one is licence-unknown and never fetched (issue 15).
    expect(got).toHaveLength(55);
    expect(got.find((c) => c.url.endsWith('/gbif-media/1.jpg'))).toBeUndefined();
    const first = got.find((c) => c.url.endsWith('/gbif-media/10.jpg'))!;
    expect(first).toMatchObject({
      license: 'CC0-1.0',
      attribution: 'C0',
      observationId: '10',
      width: null,
      taxon: 'Amanita muscaria',
      rank: 'species',
    });
    expect(first.pageUrl).toBe('https://www.gbif.org/occurrence/10');
    // The enum code form normalises to the same id.
    expect(got.find((c) => c.url.endsWith('/gbif-media/11.jpg'))).toMatchObject({ license: 'CC0-1.0', attribution: 'C1' });
  });

  it('returns nothing for a name GBIF does not match', async () => {
    const r = new GbifResolver(fake.env.GBIF_API_URL!, http());
    expect(await r.resolve({ taxon: 'Nonexistens fungus', want: 5, licenses: LICENSES, signal })).toEqual([]);
    expect(calls('/gbif/v1/occurrence/search')).toHaveLength(0);
  });
});

describe('Commons resolver', () => {
  it('searches files, follows continuation, reads size and licence metadata', async () => {
    const r = new CommonsResolver(fake.env.COMMONS_API_URL!, http());
    const got = await r.resolve({ taxon: 'Amanita muscaria', want: 500, licenses: LICENSES, signal });
    const requests = calls('/commons/w/api.php');
    expect(requests.map((q) => q.query.get('gsroffset'))).toEqual([null, '50']);
    expect(requests[0]!.query.get('prop')).toBe('imageinfo');
    expect(requests[0]!.query.get('iiprop')).toContain('extmetadata');
    expect(requests[0]!.query.get('gsrnamespace')).toBe('6');
    // 70 files, 7 of them CC BY-NC-SA.
    expect(got).toHaveLength(63);
    expect(got[0]).toMatchObject({ source: 'commons', width: 3999, height: 3000, license: 'CC-BY-SA-4.0', attribution: 'Photographer 1' });
    expect(got.find((c) => c.url.endsWith('_2.jpg'))).toMatchObject({ license: 'PD' });
    expect(got[0]!.pageUrl).toBe('https://commons.wikimedia.org/wiki/File:Amanita_muscaria_1.jpg');
  });

  it('reduces extmetadata HTML to words', () => {
    expect(plainText('<span class="fn"><a href="x">J&amp;K&nbsp;Smith</a></span>')).toBe('J&K Smith');
  });
});
