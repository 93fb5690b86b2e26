// Each resolver fed responses in the shape the services document and publish as recorded examples, not the
// shape our fake world generates: iNaturalist v1 (pyinaturalist's recorded get_observations sample), GBIF v1
// (pygbif's recorded species/match, GBIF's occurrence media examples) and the MediaWiki API:Imageinfo shape.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../../src-main/core/net/http-client';
import { CommonsResolver } from '../../../../src-main/core/sources/commons-resolver';
import { GbifResolver } from '../../../../src-main/core/sources/gbif-resolver';
import { InatResolver } from '../../../../src-main/core/sources/inat-resolver';
import { startLoopbackServer, type LoopbackServer } from '../../../fixtures/loopback-server';

// Photo records as iNaturalist v1 returns them (ids, URLs and credits from the recorded sample).
const inatPage = {
  total_results: 1,
  page: 1,
  per_page: 50,
  results: [
    {
      id: 57754375,
      uuid: 'c44b91f3-534d-48c4-933d-a8b4e1d8f87b',
      quality_grade: 'research',
      license_code: 'cc-by-nc',
      uri: 'https://www.inaturalist.org/observations/57754375',
      taxon: { id: 48662, name: 'Danaus plexippus', rank: 'species', rank_level: 10, preferred_common_name: 'Monarch' },
      user: { id: 2852555, login: 'samroom', name: null, icon_url: null },
      photos: [
        {
          id: 4115,
          license_code: 'cc-by',
          url: 'https://static.inaturalist.org/photos/4115/square.jpg?1545349417',
          attribution: '(c) Damien du Toit, einige Rechte vorbehalten (CC BY)',
          original_dimensions: { width: 640, height: 480 },
          flags: [],
        },
        {
          id: 80678745,
          license_code: 'cc0',
          url: 'https://static.inaturalist.org/photos/80678745/square.jpg?1593020613',
          attribution: 'no rights reserved',
          original_dimensions: { width: 2000, height: 2000 },
          flags: [],
        },
        {
          id: 70390781,
          license_code: 'cc-by-nc-nd',
          url: 'https://live.staticflickr.com/7355/27469365413_862471775d_s.jpg',
          attribution: '(c) Richard Droker, some rights reserved (CC BY-NC-ND)',
          original_dimensions: null,
          flags: [],
        },
        {
          id: 3510880,
          license_code: null,
          url: 'https://static.inaturalist.org/photos/3510880/square.jpg?1461846381',
          attribution: '(c) José Manuel Carreón Silva, all rights reserved',
          original_dimensions: { width: 2048, height: 1536 },
          flags: [],
        },
      ],
      observation_photos: [{ id: 1, position: 0, uuid: 'x', photo: { id: 4115 } }],
    },
  ],
};

// Recorded GET /v1/species/match?name=Helianthus+annuus (pygbif test cassette).
const gbifMatch = {
  usageKey: 9206251,
  scientificName: 'Helianthus annuus L.',
  canonicalName: 'Helianthus annuus',
  rank: 'SPECIES',
  status: 'ACCEPTED',
  confidence: 98,
  matchType: 'EXACT',
  kingdom: 'Plantae',
  speciesKey: 9206251,
  synonym: false,
};
// Occurrence search envelope; media items as GBIF publishes them (an iNaturalist record's sound and photo, and a
// herbarium image whose "licence" is a copyright line). Occurrence keys are illustrative.
const gbifSearch = {
  offset: 0,
  limit: 50,
  endOfRecords: true,
  count: 2,
  results: [
    {
      key: 4011000001,
      datasetKey: '50c9509d-22c7-4a22-a47d-8c48425ef4a7',
      basisOfRecord: 'HUMAN_OBSERVATION',
      scientificName: 'Helianthus annuus L.',
      taxonRank: 'SPECIES',
      license: 'http://creativecommons.org/licenses/by-nc/4.0/legalcode',
      media: [
        {
          type: 'Sound',
          format: 'audio/mp4',
          references: 'https://www.inaturalist.org/photos/579426',
          creator: 'kunal_kodkani',
          publisher: 'iNaturalist',
          license: 'http://creativecommons.org/licenses/by-nc/4.0/',
          rightsHolder: 'kunal_kodkani',
          identifier: 'https://static.inaturalist.org/sounds/579426.m4a?1672578152',
        },
        {
          type: 'StillImage',
          format: 'image/jpeg',
          references: 'https://www.inaturalist.org/photos/250077536',
          created: '2023-01-01T13:01:46.000+00:00',
          creator: 'kunal_kodkani',
          publisher: 'iNaturalist',
          license: 'http://creativecommons.org/licenses/by-nc/4.0/',
          rightsHolder: 'kunal_kodkani',
          identifier: 'https://inaturalist-open-data.s3.amazonaws.com/photos/250077536/original.jpg',
        },
      ],
      facts: [],
      relations: [],
    },
    {
      key: 1051251700,
      gbifID: '1051251700',
      basisOfRecord: 'PRESERVED_SPECIMEN',
      scientificName: 'Helianthus annuus L.',
      taxonRank: 'SPECIES',
      license: 'http://creativecommons.org/licenses/by/4.0/legalcode',
      recordedBy: 'De Silva, F.',
      media: [
        {
          type: 'StillImage',
          format: 'image/jpeg',
          identifier: 'http://www.kew.org/herbcatimg/686058.jpg',
          license: '© The Board of Trustees of the Royal Botanic Gardens, Kew.',
        },
      ],
    },
  ],
};

// MediaWiki query+imageinfo with extmetadata, formatversion=2 (pages a list, hidden a boolean); values illustrative.
const meta = (value: string) => ({ value, source: 'commons-desc-page', hidden: true });
const commonsPage = (pageid: number, index: number, name: string, extmetadata: object) => ({
  pageid,
  ns: 6,
  title: `File:${name}`,
  index,
  imagerepository: 'local',
  imageinfo: [
    {
      size: 4_200_000,
      width: 4000,
      height: 3000,
      url: `https://upload.wikimedia.org/wikipedia/commons/a/ab/${name.replace(/ /g, '_')}`,
      descriptionurl: `https://commons.wikimedia.org/wiki/File:${name.replace(/ /g, '_')}`,
      descriptionshorturl: `https://commons.wikimedia.org/w/index.php?curid=${pageid}`,
      mime: 'image/jpeg',
      extmetadata,
    },
  ],
});
const commonsFirst = {
  batchcomplete: true,
  continue: { gsroffset: 2, continue: 'gsroffset||' },
  query: {
    pages: [
      commonsPage(101, 2, 'Amanita muscaria 2.jpg', {
        Credit: meta('<span class="int-own-work" lang="en">Own work</span>'),
        Artist: meta('<a href="//commons.wikimedia.org/wiki/User:Example" title="User:Example">Example Photographer</a>'),
        LicenseShortName: meta('CC BY-SA 4.0'),
        LicenseUrl: { value: 'https://creativecommons.org/licenses/by-sa/4.0', source: 'commons-desc-page' },
      }),
      commonsPage(100, 1, 'Amanita muscaria 1.jpg', {
        Credit: meta('<span class="int-own-work" lang="en">Own work</span>'),
        LicenseShortName: meta('Public domain'),
      }),
    ],
  },
};
const commonsLast = {
  batchcomplete: true,
  query: {
    pages: [
      commonsPage(102, 3, 'Amanita muscaria 3.jpg', {
        Artist: meta('<bdi><a href="https://www.wikidata.org/wiki/Q1" class="extiw">J. Doe</a></bdi>'),
        // {{Attribution}}: the credit line the author asks for, over the Artist field.
        Attribution: meta('Photo: <a href="https://example.org/jd">Jane Doe</a> / Fungi Atlas'),
        License: meta('cc0'),
        LicenseShortName: meta('CC0'),
      }),
      commonsPage(103, 4, 'Amanita muscaria 4.jpg', []),
    ],
  },
};
// The same file as the default formatversion=1 writes it: pages keyed by page id, hidden as "".
const commonsV1 = {
  batchcomplete: '',
  query: {
    pages: {
      '100': {
        ...commonsPage(100, 1, 'Amanita muscaria 1.jpg', {
          LicenseShortName: { value: 'CC BY 4.0', source: 'commons-desc-page', hidden: '' },
        }),
      },
    },
  },
};

let server: LoopbackServer;
let commonsBody: object = {};
const http = () =>
  new HttpClient({
    name: 't',
    userAgent: 'Sporeprint-test',
    idleTimeoutMs: 2000,
    maxRetries: 0,
    backoffBaseMs: 10,
    backoffMaxMs: 20,
    minIntervalMs: 0,
    breakerThreshold: 5,
    breakerCoolDownMs: 1000,
  });
const signal = new AbortController().signal;
const calls = (p: string) => server.requests.filter((r) => r.path === p);

beforeAll(async () => {
  server = await startLoopbackServer((_req, url) => {
    if (url.pathname === '/inat/v1/observations') return { body: inatPage };
    if (url.pathname === '/gbif/v1/species/match') return { body: gbifMatch };
    if (url.pathname === '/gbif/v1/occurrence/search') return { body: gbifSearch };
    if (url.pathname === '/w/api.php') return { body: url.searchParams.get('gsroffset') ? commonsLast : commonsBody };
    return null;
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

describe('documented iNaturalist v1 /observations', () => {
  it('yields originals of iNaturalist-hosted photos with their sizes, licences and credits', async () => {
    const r = new InatResolver(`${server.url}/inat/v1`, http());
    const got = await r.resolve({ taxon: 'Danaus plexippus', want: 10, licenses: ['CC0', 'CC-BY', 'CC-BY-NC-ND'], signal });
    expect(calls('/inat/v1/observations')).toHaveLength(1);
    // The Flickr-hosted photo has no original to fetch; the all-rights-reserved one is not allowed.
    expect(got).toEqual([
      expect.objectContaining({
        url: 'https://static.inaturalist.org/photos/4115/original.jpg?1545349417',
        width: 640,
        height: 480,
        license: 'CC-BY',
        attribution: '(c) Damien du Toit, einige Rechte vorbehalten (CC BY)',
        pageUrl: 'https://www.inaturalist.org/photos/4115',
        observationId: '57754375',
        taxon: 'Danaus plexippus',
        rank: 'species',
      }),
      // CC0's "no rights reserved" names nobody: the observer is credited.
      expect.objectContaining({ url: expect.stringContaining('/80678745/original.jpg'), license: 'CC0-1.0', attribution: 'samroom' }),
    ]);
  });
});

describe('documented GBIF v1 species/match and occurrence/search', () => {
  it('takes StillImage media only, with the media licence over the record licence', async () => {
    const r = new GbifResolver(`${server.url}/gbif/v1`, http());
    const got = await r.resolve({ taxon: 'Helianthus annuus', want: 10, licenses: ['CC0', 'CC-BY', 'CC-BY-NC'], signal });
    expect(calls('/gbif/v1/occurrence/search')[0]!.query.get('taxonKey')).toBe('9206251');
    expect(got).toEqual([
      {
        source: 'gbif',
        url: 'https://inaturalist-open-data.s3.amazonaws.com/photos/250077536/original.jpg',
        width: null,
        height: null,
        license: 'CC-BY-NC-4.0',
        attribution: 'kunal_kodkani',
        pageUrl: 'https://www.inaturalist.org/photos/250077536',
        observationId: '4011000001',
        taxon: 'Helianthus annuus',
        rank: 'species',
      },
    ]);
    // A copyright line is no open licence, and an unknown licence passes no allow-list, not even one naming UNKNOWN.
    const unknown = await r.resolve({ taxon: 'Helianthus annuus', want: 10, licenses: ['UNKNOWN'], signal });
    expect(unknown).toEqual([]);
  });
});

describe('documented MediaWiki query+imageinfo (Commons)', () => {
  it('reads formatversion=2 pages in search order, follows continue, credits Attribution, else the Artist, never "Own work"', async () => {
    commonsBody = commonsFirst;
    const r = new CommonsResolver(`${server.url}/w/api.php`, http());
    const got = await r.resolve({ taxon: 'Amanita muscaria', want: 10, licenses: ['CC0', 'PD', 'CC-BY', 'CC-BY-SA'], signal });
    const requests = calls('/w/api.php');
    expect(requests.map((q) => [q.query.get('gsroffset'), q.query.get('continue')])).toEqual([
      [null, ''],
      ['2', 'gsroffset||'],
    ]);
    expect(got.map((c) => [c.url.split('/').pop(), c.license, c.attribution])).toEqual([
      ['Amanita_muscaria_1.jpg', 'PD', null],
      ['Amanita_muscaria_2.jpg', 'CC-BY-SA-4.0', 'Example Photographer'],
      ['Amanita_muscaria_3.jpg', 'CC0-1.0', 'Photo: Jane Doe / Fungi Atlas'],
    ]);
    expect(requests[0]!.query.get('iiextmetadatafilter')?.split('|')).toContain('Attribution');
    expect(got[1]).toMatchObject({
      width: 4000,
      height: 3000,
      pageUrl: 'https://commons.wikimedia.org/wiki/File:Amanita_muscaria_2.jpg',
    });
  });

  it('reads the default formatversion=1 too (pages keyed by page id)', async () => {
    commonsBody = commonsV1;
    const r = new CommonsResolver(`${server.url}/w/api.php`, http());
    const got = await r.resolve({ taxon: 'Amanita muscaria', want: 10, licenses: ['CC-BY'], signal });
    expect(got).toEqual([expect.objectContaining({ license: 'CC-BY-4.0', attribution: null, width: 4000 })]);
  });
});
