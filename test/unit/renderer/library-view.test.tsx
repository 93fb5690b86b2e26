// @vitest-environment jsdom
// The library view over a real catalogue: virtualised grid, filters, multi-select and the bulk bar, real stores.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useLibraryStore } from '../../../src-renderer/state/library-store';
import { LibraryView } from '../../../src-renderer/views/library/library-view';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';
import { giveElementsASize, renderWithLibrary } from './render-app';

describe('LibraryView', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(async () => {
    giveElementsASize();
    lib = openTempLibrary();
    const photos = path.join(lib.dir, '..', `${path.basename(lib.dir)}-photos`, 'Amanita muscaria');
    mkdirSync(photos, { recursive: true });
    for (const seed of [1, 2, 3]) writeFileSync(path.join(photos, `a${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    writeFileSync(path.join(photos, 'a4.png'), await makePhoto(4, { width: 320, height: 240, format: 'png' }));
    const job = await ingestAndWait(lib.lib, [photos]);
    expect(job.status).toBe('completed');
  });
  afterEach(() => {
    cleanup();
    act(() => useLibraryStore.getState().resetFilters());
  });
  afterAll(async () => lib?.cleanup());

  it('shows every image as a tile with its taxon and state', async () => {
    renderWithLibrary(lib.lib, <LibraryView />);
    await waitFor(() => expect(screen.getByTestId('library-total').textContent).toBe('4 images'));
    await waitFor(() => expect(document.querySelectorAll('.thumb[data-image-id]').length).toBe(4));
    expect(screen.getAllByText('Amanita muscaria').length).toBe(4);
  });

  it('filters by format through the store and says when nothing matches', async () => {
    renderWithLibrary(lib.lib, <LibraryView />);
    await waitFor(() => expect(screen.getByTestId('library-total').textContent).toBe('4 images'));
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'png' } });
    expect(useLibraryStore.getState().filters.format).toBe('png');
    await waitFor(() => expect(screen.getByTestId('library-total').textContent).toBe('1 images'));
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'gif' } });
    await screen.findByText('No image matches these filters');
  });

  it('multi-selects with ctrl-click and shift-click and offers bulk actions', async () => {
    renderWithLibrary(lib.lib, <LibraryView />);
    await waitFor(() => expect(document.querySelectorAll('.thumb[data-image-id]').length).toBe(4));
    const tiles = [...document.querySelectorAll<HTMLButtonElement>('.thumb[data-image-id]')];
    fireEvent.click(tiles[0]!);
    expect(screen.queryByRole('toolbar', { name: 'Bulk actions' })).not.toBeNull();
    fireEvent.click(tiles[2]!, { ctrlKey: true });
    expect(useLibraryStore.getState().selected.size).toBe(2);
    fireEvent.click(tiles[3]!, { shiftKey: true });
    expect(useLibraryStore.getState().selected.size).toBe(3);
    expect(screen.getByText('3 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('toolbar', { name: 'Bulk actions' })).toBeNull();
  });

  it('moves focus between tiles with the arrow keys and End/Home', async () => {
    renderWithLibrary(lib.lib, <LibraryView />);
    await waitFor(() => expect(document.querySelectorAll('.thumb[data-image-id]').length).toBe(4));
    const tile = (i: number) => document.querySelector<HTMLElement>(`[data-index="${i}"] button`)!;
    tile(0).focus();
    fireEvent.keyDown(tile(0), { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement).toBe(tile(1)));
    fireEvent.keyDown(tile(1), { key: 'End' });
    await waitFor(() => expect(document.activeElement).toBe(tile(3)));
    fireEvent.keyDown(tile(3), { key: 'Home' });
    await waitFor(() => expect(document.activeElement).toBe(tile(0)));
  });
});
