// @vitest-environment jsdom
// The verify view over a real catalogue: every key lands optimistically and persists; undo reverts in the catalogue.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useVerifyStore } from '../../../src-renderer/state/verify-store';
import { VerifyView } from '../../../src-renderer/views/verify/verify-view';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

describe('VerifyView', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  const press = (key: string) => act(() => void fireEvent.keyDown(window, { key }));
  const currentId = () => Number(document.querySelector('.verify-photo')!.getAttribute('data-image-id'));
  const labelOf = async (id: number) => (await lib.lib.invoke('images.get', { id })).label;

  beforeAll(async () => {
    lib = openTempLibrary();
    const root = path.join(lib.dir, '..', `${path.basename(lib.dir)}-verify`);
    for (const [taxon, seeds] of [
      ['Amanita muscaria', [41, 42, 43]],
      ['Boletus edulis', [44, 45]],
    ] as const) {
      mkdirSync(path.join(root, taxon), { recursive: true });
      for (const seed of seeds) writeFileSync(path.join(root, taxon, `${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    }
    await ingestAndWait(lib.lib, [root]);
  });
  beforeEach(() => useVerifyStore.setState({ index: 0, decisions: {}, undoStack: [], taxonFilter: '', includeDisputed: true }));
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('accepts with A, disputes with D, verifies the genus with G and undoes it with U', async () => {
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    expect(screen.getByTestId('verify-position').textContent).toBe('1 / 5');

    const first = currentId();
    press('a');
    expect(screen.getByTestId('verify-position').textContent).toBe('2 / 5');
    await waitFor(async () => expect((await labelOf(first))?.state).toBe('human_verified'));

    const second = currentId();
    press('d');
    await waitFor(async () => expect((await labelOf(second))?.state).toBe('disputed'));

    const third = currentId();
    const claimed = (await labelOf(third))!.taxon;
    press('g');
    await waitFor(async () =>
      expect(await labelOf(third)).toMatchObject({ state: 'human_verified', taxon: claimed.split(' ')[0], rank: 'genus' }),
    );

    press('u');
    // Undo returns to the photo it reverted and the catalogue to the source claim.
    expect(currentId()).toBe(third);
    await waitFor(async () => expect(await labelOf(third)).toMatchObject({ state: 'source_claimed', taxon: claimed }));

    press('ArrowLeft');
    expect(currentId()).toBe(second);
    await waitFor(() => expect(screen.getByTestId('verify-state').textContent).toBe('disputed · saved'));
  });

  it('edits the taxon with E and verifies under the new name', async () => {
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    press('ArrowRight');
    press('ArrowRight');
    press('ArrowRight');
    const id = currentId();
    press('e');
    const field = screen.getByLabelText('Edit taxon');
    // Keys typed into the field are text, not shortcuts.
    fireEvent.change(field, { target: { value: 'Boletus reticulatus' } });
    fireEvent.keyDown(field, { key: 'a' });
    fireEvent.submit(field.closest('form')!);
    await waitFor(async () => expect(await labelOf(id)).toMatchObject({ state: 'human_verified', taxon: 'Boletus reticulatus' }));
  });

  it('narrows the queue to one taxon', async () => {
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    await waitFor(() => expect(screen.getByLabelText('Queue taxon').querySelectorAll('option').length).toBeGreaterThan(1));
    fireEvent.change(screen.getByLabelText('Queue taxon'), { target: { value: 'Amanita muscaria' } });
    await waitFor(() => expect(screen.getByTestId('verify-taxon').textContent).toBe('Amanita muscaria'));
    const position = screen.getByTestId('verify-position').textContent!;
    const pending = (await lib.lib.invoke('labels.queue', { taxon: 'Amanita muscaria' })).total;
    expect(position).toBe(`1 / ${pending}`);
  });
});
