// @vitest-environment jsdom
// The Sync view's lists over a real catalogue: conflicting claims found by the last sync, and who decided what.
import { cleanup, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SyncView } from '../../../src-renderer/views/sync/sync-view';
import { decide, insertImages } from '../../fixtures/catalog-rows';
import { openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

vi.mock('electron', () => ({ ipcMain: { handle: () => undefined, removeHandler: () => undefined } }));

describe('SyncView history', { timeout: 30_000 }, () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(() => {
    lib = openTempLibrary();
    const [a, b] = insertImages(lib.lib.db, 'view', 2);
    decide(lib.lib.db, a!, 'Amanita muscaria', 'ana');
    // A label pulled from the server, written by another library (as apply-server-label records it).
    lib.lib.db
      .prepare(
        `INSERT INTO label_event (image_id, author, action, to_state, to_taxon, rank, evidence_json) VALUES (?, 'ben', 'sync', 'human_verified', 'Boletus edulis', 'species', ?)`,
      )
      .run(b!, JSON.stringify({ source: 'server', client: 'b0b0b0b0-1111-2222-3333-444455556666' }));
    lib.lib.db.prepare(`INSERT INTO sync_conflict (image_id, field, shown, claims_json) VALUES (?, 'license', 'CC-BY-4.0', ?)`).run(
      b!,
      JSON.stringify([
        { client: 'a1a1a1a1-0000', author: 'ana', value: 'CC-BY-4.0' },
        { client: 'b0b0b0b0-1111', author: 'ben', value: 'CC0-1.0' },
      ]),
    );
    // Image a's credit, resolved on the server by ben (as pullResolutions records it).
    lib.lib.db
      .prepare(
        `INSERT INTO sync_resolution (image_id, field, value, client, author, resolved_at) VALUES (?, 'attribution', 'Ana Lima', ?, 'ben', '2026-12-05T10:00:00.000Z')`,
      )
      .run(a!, 'b0b0b0b0-1111-2222-3333-444455556666');
  });
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('lists conflicting claims with the value shown and each curator’s claim', async () => {
    renderWithLibrary(lib.lib, <SyncView />);
    const section = await screen.findByRole('region', { name: 'Conflicting claims' }, { timeout: 15_000 });
    expect(within(section).getByText('Conflicting claims (1)')).toBeTruthy();
    expect(within(section).getByText('license')).toBeTruthy();
    expect(within(section).getByText('CC0-1.0 (ben, client b0b0b0b0)', { exact: false })).toBeTruthy();
  });

  it('lists resolved conflicts with the value chosen and who chose it', async () => {
    renderWithLibrary(lib.lib, <SyncView />);
    const section = await screen.findByRole('region', { name: 'Resolved conflicts' }, { timeout: 15_000 });
    expect(within(section).getByText('Resolved conflicts (1)')).toBeTruthy();
    expect(within(section).getByText('attribution')).toBeTruthy();
    expect(within(section).getByText('Ana Lima')).toBeTruthy();
    expect(within(section).getByText('ben, client b0b0b0b0')).toBeTruthy();
  });

  it('shows who decided what: this library’s decisions and other clients’ pulled labels', async () => {
    renderWithLibrary(lib.lib, <SyncView />);
    const section = await screen.findByRole('region', { name: 'Who decided what' }, { timeout: 15_000 });
    expect(within(section).getByText('ben, client b0b0b0b0')).toBeTruthy();
    expect(within(section).getByText('ana, this library')).toBeTruthy();
    expect(within(section).getByText(/sync Boletus edulis \(human_verified\)/)).toBeTruthy();
  });
});
