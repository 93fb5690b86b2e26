// @vitest-environment jsdom
// "Find HQ images" over real libraries: the dashboard lists taxa short of HQ images and fills one from loopback
// iNaturalist/GBIF/Commons, refreshing the list; with no source reachable the failure is shown in words (dashboard, detail).
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MissingHqSection } from '../../../src-renderer/views/dashboard/missing-hq-section';
import { DashboardView } from '../../../src-renderer/views/dashboard/dashboard-view';
import { DetailView } from '../../../src-renderer/views/detail/detail-view';
import { useRoute } from '../../../src-renderer/state/route-store';
import { startFakeSources, type FakeSources } from '../../fixtures/fake-sources';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

const TAXON = 'Amanita muscaria';
const cleanups: (() => Promise<void> | void)[] = [];
let fake: FakeSources;
let photos: string;

/** A loopback port nothing listens on: every source request is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A library holding two small (never HQ) photos of TAXON, labelled from their folder name. */
async function libraryShortOfHq(env: NodeJS.ProcessEnv) {
  const t = openTempLibrary(env);
  cleanups.push(t.cleanup);
  const job = await ingestAndWait(t.lib, [photos]);
  expect(job.status).toBe('completed');
  return t.lib;
}

beforeAll(async () => {
  const local = makeTempDir('sporeprint-find-hq-');
  cleanups.push(local.cleanup);
  photos = path.join(local.dir, TAXON);
  mkdirSync(photos);
  for (const seed of [31, 32]) writeFileSync(path.join(photos, `p${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
  const remote = await makePhoto(33, { width: 1800, height: 1350 });
  fake = await startFakeSources({
    inat: [{ id: 1, taxon: TAXON, photos: [{ id: 101, bytes: remote, width: 1800, height: 1350, license: 'cc-by' }] }],
    gbif: [],
    commons: [],
  });
  cleanups.push(() => fake.server.close());
});
afterEach(() => cleanup());
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('Find HQ images', () => {
  it('says so when every taxon has enough HQ images', async () => {
    const t = openTempLibrary();
    cleanups.push(t.cleanup);
    renderWithLibrary(t.lib, <MissingHqSection />);
    await screen.findByText('Every taxon has enough HQ images.');
    expect(screen.queryByRole('button', { name: 'Find HQ images for all' })).toBeNull();
  });

  it('lists a taxon short of HQ images on the dashboard and fills it from the sources, refreshing list and stats', async () => {
    const lib = await libraryShortOfHq(fake.env);
    renderWithLibrary(lib, <DashboardView />);
    const section = await screen.findByRole('region', { name: 'Taxa lacking HQ images' });
    const row = (await within(section).findByText(TAXON)).closest('tr')!;
    expect(row.textContent).toContain('0 / 2');
    const forAll = within(section).getByRole('button', { name: 'Find HQ images for all' });
    fireEvent.click(within(row).getByRole('button', { name: `Find HQ images of ${TAXON}` }));
    // No second job while one runs (the download and ingest take a while).
    await waitFor(() => expect(forAll).toHaveProperty('disabled', true));
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('completed'), { timeout: 60_000 });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByText('ingested: 1')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    // The list and the stats tiles are read again once the job ends.
    await waitFor(() => expect(within(section).getByText(TAXON).closest('tr')!.textContent).toMatch(/\d+ \/ 3/));
    await waitFor(() => expect(document.querySelector('.tiles .tile')!.textContent).toBe('3 images'));
    expect(forAll).toHaveProperty('disabled', false);
    expect(fake.server.requests.some((r) => r.path === fake.inatPhotoPath(101))).toBe(true);
  });

  it('shows in words that no source was reachable, on the dashboard and in the detail view', async () => {
    const port = await closedPort();
    const base = `http://127.0.0.1:${port}`;
    const lib = await libraryShortOfHq({
      INAT_API_URL: `${base}/inat/v1`,
      GBIF_API_URL: `${base}/gbif/v1`,
      COMMONS_API_URL: `${base}/commons/w/api.php`,
      SOURCE_MIN_INTERVAL_MS: '0',
      SOURCE_BACKOFF_MS: '0',
      SOURCE_MAX_RETRIES: '0',
    });
    renderWithLibrary(lib, <MissingHqSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Find HQ images for all' }));
    const alert = await screen.findByRole('alert', { name: 'Source errors' }, { timeout: 60_000 });
    expect(alert.textContent).toMatch(/^3 sources failed: /);
    for (const source of ['inat', 'gbif', 'commons']) expect(alert.textContent).toContain(`${source}: `);
    expect(alert.textContent).toContain(String(port));
    // Nothing was found, so the taxon is still listed and can be tried again.
    expect(screen.getByText(TAXON).closest('tr')!.textContent).toContain('0 / 2');
    expect(screen.getByRole('button', { name: 'Find HQ images for all' })).toHaveProperty('disabled', false);
    cleanup();

    const image = (await lib.invoke('images.list', { limit: 1 })).items[0]!;
    useRoute.setState({ view: 'detail', imageId: image.id });
    renderWithLibrary(lib, <DetailView />);
    fireEvent.click(await screen.findByRole('button', { name: `Find HQ images of ${TAXON}` }));
    const detailAlert = await screen.findByRole('alert', { name: 'Source errors' }, { timeout: 60_000 });
    for (const source of ['inat', 'gbif', 'commons']) expect(detailAlert.textContent).toContain(`${source}: `);
    expect(screen.getByTestId('job-status').textContent).toBe('completed');
  });
});
