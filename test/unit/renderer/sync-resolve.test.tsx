// @vitest-environment jsdom
// The Sync view's "Take this value": a claim in the conflict list resolves the conflict through sync.resolve. Against
// a real PostgreSQL (two curators pushed different licences) the server shows the claim taken and the view moves it
// to the resolved list; without a sync target the view says why nothing was resolved.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SyncView } from '../../../src-renderer/views/sync/sync-view';
import { insertImages, shaFor } from '../../fixtures/catalog-rows';
import { openCurator, openCuratorServer, push, type Curator, type CuratorServer } from '../../fixtures/curator-server';
import { hasPostgres, POSTGRES_SKIP_REASON } from '../../fixtures/pg-database';
import { openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

vi.mock('electron', () => ({ ipcMain: { handle: () => undefined, removeHandler: () => undefined } }));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(() => cleanup());
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
}, 60_000);

describe('SyncView Take this value', { timeout: 60_000 }, () => {
  it('without a sync target, says why the conflict was not resolved', async () => {
    const lib = openTempLibrary();
    cleanups.push(lib.cleanup);
    const [id] = insertImages(lib.lib.db, 'offline', 1);
    lib.lib.db.prepare(`INSERT INTO sync_conflict (image_id, field, shown, claims_json) VALUES (?, 'license', 'CC-BY-4.0', ?)`).run(
      id!,
      JSON.stringify([
        { client: 'a1a1a1a1-0000', author: 'ana', value: 'CC-BY-4.0' },
        { client: 'b0b0b0b0-1111', author: 'ben', value: 'CC0-1.0' },
      ]),
    );
    renderWithLibrary(lib.lib, <SyncView />);
    const take = await screen.findByRole('button', { name: `Take CC0-1.0 for the license of image ${id}` }, { timeout: 15_000 });
    fireEvent.click(take);
    const alert = await screen.findByRole('alert', {}, { timeout: 15_000 });
    expect(alert.textContent).toMatch(/Conflict not resolved: .*no sync target: pass a postgres:\/\/ URL or set SPOREPRINT_PG_URL/);
    // Nothing changed locally: the conflict is still listed.
    expect(within(screen.getByRole('region', { name: 'Conflicting claims' })).getByText('Conflicting claims (1)')).toBeTruthy();
  });

  describe.skipIf(!hasPostgres)(`against a lab server${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
    let server: CuratorServer;
    let ana: Curator;
    let ben: Curator;

    it('takes the other curator’s claim: the server shows it, and the view lists it as resolved', async () => {
      server = await openCuratorServer();
      cleanups.push(() => server.drop());
      ana = openCurator('ana', 2);
      ben = openCurator('ben', 2);
      cleanups.push(ana.cleanup, ben.cleanup);
      const sha = shaFor('shared-1');
      ana.lib.db.prepare(`UPDATE image SET license = 'CC-BY-4.0' WHERE sha256 = ?`).run(sha);
      ben.lib.db.prepare(`UPDATE image SET license = 'CC0-1.0' WHERE sha256 = ?`).run(sha);
      await push(ana, server.curatorUrl);
      await push(ben, server.curatorUrl);
      const imageId = (ben.lib.db.prepare(`SELECT id FROM image WHERE sha256 = ?`).get(sha) as { id: number }).id;

      renderWithLibrary(ben.lib, <SyncView />);
      const conflicts = await screen.findByRole('region', { name: 'Conflicting claims' }, { timeout: 15_000 });
      expect(within(conflicts).getByText('Conflicting claims (1)')).toBeTruthy();
      fireEvent.click(within(conflicts).getByRole('button', { name: `Take CC0-1.0 for the license of image ${imageId}` }));

      const resolved = await screen.findByRole('region', { name: 'Resolved conflicts' }, { timeout: 20_000 });
      expect(within(resolved).getByText('CC0-1.0')).toBeTruthy();
      expect(within(resolved).getByText(/^ben, client [0-9a-f]{8}$/)).toBeTruthy();
      await waitFor(() =>
        expect(within(screen.getByRole('region', { name: 'Conflicting claims' })).getByText('Conflicting claims (0)')).toBeTruthy(),
      );
      expect(screen.queryByRole('alert')).toBeNull();

      const pg = await server.db.connect();
      try {
        const row = await pg.query(`SELECT license, claim_conflict FROM media.image WHERE sha256 = $1`, [sha]);
        expect(row.rows[0]).toEqual({ license: 'CC0-1.0', claim_conflict: false });
      } finally {
        await pg.end();
      }
    });
  });
});
