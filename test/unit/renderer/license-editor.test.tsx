// @vitest-environment jsdom
// The licence editor over a real catalogue: set a licence and credit, see what changed, undo it, use "my photos".
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LicenseEditor } from '../../../src-renderer/components/license-editor';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

describe('LicenseEditor', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let ids: number[];
  beforeAll(async () => {
    lib = openTempLibrary();
    const photos = path.join(lib.dir, '..', `${path.basename(lib.dir)}-photos`);
    mkdirSync(photos, { recursive: true });
    for (const seed of [1, 2]) writeFileSync(path.join(photos, `m${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    await ingestAndWait(lib.lib, [photos]);
    ids = (await lib.lib.invoke('images.list', {})).items.map((i) => i.id);
  }, 60_000);
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  const licences = async () => Promise.all(ids.map(async (id) => (await lib.lib.invoke('images.get', { id })).license));

  it('sets the picked licence and credit on every image, says so, and undoes it', async () => {
    renderWithLibrary(lib.lib, <LicenseEditor imageIds={ids} />);
    fireEvent.change(screen.getByLabelText('Licence', { selector: 'select' }), { target: { value: 'CC-BY-SA-4.0' } });
    fireEvent.change(screen.getByLabelText('Attribution'), { target: { value: 'Ann Smith' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set licence' }));
    await waitFor(() => expect(screen.getByTestId('license-result').textContent).toBe('CC-BY-SA-4.0: 2 of 2 changed'));
    expect(await licences()).toEqual(['CC-BY-SA-4.0', 'CC-BY-SA-4.0']);
    fireEvent.click(screen.getByRole('button', { name: 'Undo licence' }));
    await waitFor(() => expect(screen.getByTestId('license-undone').textContent).toBe('undid 2'));
    expect(await licences()).toEqual([null, null]);
  }, 30_000);

  it('warns when the credit a licence needs is missing, and offers the "my photos" default once set', async () => {
    await lib.lib.invoke('licenses.setMyPhotos', { license: 'CC0', attribution: 'Ann Smith' });
    renderWithLibrary(lib.lib, <LicenseEditor imageIds={[ids[0]!]} />);
    fireEvent.click(screen.getByRole('button', { name: 'Set licence' }));
    await waitFor(() => expect(screen.getByTestId('license-result').textContent).toMatch(/1 still need a credit line/));
    fireEvent.click(await screen.findByRole('button', { name: 'My photos (CC0-1.0)' }));
    await waitFor(async () => expect((await licences())[0]).toBe('CC0-1.0'));
  }, 30_000);
});
