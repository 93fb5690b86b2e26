// @vitest-environment jsdom
// The verify view's review aids over a real catalogue: the photo in a loupe (Z), other verified photos of the taxon
// (never the same picture), Edit taxon completing from the catalogue and an imported checklist with a warning when
// the genus changes, and progress counted against the filtered queue.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useVerifyStore } from '../../../src-renderer/state/verify-store';
import { VerifyView } from '../../../src-renderer/views/verify/verify-view';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';
import { makeVariant } from '../../fixtures/variants';
import { renderWithLibrary } from './render-app';

describe('VerifyView review aids', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let root: string;
  const idOf = new Map<string, number>();
  const press = (key: string) => act(() => void fireEvent.keyDown(window, { key }));
  const currentId = () => Number(document.querySelector('.verify-photo')!.getAttribute('data-image-id'));

  beforeAll(async () => {
    lib = openTempLibrary();
    root = path.join(lib.dir, '..', `${path.basename(lib.dir)}-review`);
    const boletus = path.join(root, 'Boletus edulis');
    const amanita = path.join(root, 'Amanita muscaria');
    mkdirSync(boletus, { recursive: true });
    mkdirSync(amanita, { recursive: true });
    // Boletus: an original and its resized copy (one duplicate cluster), and two other photos.
    const original = await makePhoto(51, { width: 640, height: 480 });
    writeFileSync(path.join(boletus, 'original.jpg'), original);
    writeFileSync(path.join(boletus, 'copy.jpg'), await makeVariant(original, 'resize'));
    for (const seed of [52, 53]) writeFileSync(path.join(boletus, `b${seed}.jpg`), await makePhoto(seed, { width: 640, height: 480 }));
    for (const seed of [54, 55]) writeFileSync(path.join(amanita, `a${seed}.jpg`), await makePhoto(seed, { width: 640, height: 480 }));
    await ingestAndWait(lib.lib, [root]);
    for (const [dir, name] of [
      [boletus, 'original.jpg'],
      [boletus, 'copy.jpg'],
      [boletus, 'b52.jpg'],
      [boletus, 'b53.jpg'],
    ] as const)
      idOf.set(name, (await lib.lib.invoke('images.resolve', { ref: path.join(dir, name) })).id);
    // The copy and b52 are verified already: candidates for the comparison strip.
    await lib.lib.invoke('labels.set', { imageIds: [idOf.get('copy.jpg')!, idOf.get('b52.jpg')!], state: 'human_verified' });
  }, 120_000);
  beforeEach(() => useVerifyStore.setState({ index: 0, decisions: {}, undoStack: [], taxonFilter: '', includeDisputed: true }));
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('shows the photo large in a loupe that Z takes to 100 % and back; the next photo opens fitted', async () => {
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    const img = await waitFor(() => {
      const found = document.querySelector<HTMLImageElement>('.verify-photo .loupe-img');
      expect(found).not.toBeNull();
      return found!;
    });
    expect(img.getAttribute('src')).toMatch(/large\.jpe?g/);
    expect(Number(img.getAttribute('data-image-id'))).toBe(currentId());
    const panes = () => document.querySelector('.verify-photo .compare-panes')!.getAttribute('data-zoom');
    expect(panes()).toBe('fit');
    press('z');
    expect(panes()).toBe('actual');
    // At 100 % the picture has the large derivative's own pixel size (640x480 is under the 1280 px cap).
    expect(document.querySelector('.verify-photo .loupe-img')!.getAttribute('width')).toBe('640');
    press('z');
    expect(panes()).toBe('fit');
    press('z');
    press('ArrowRight');
    await waitFor(() => expect(panes()).toBe('fit'));
  });

  it('compares with other verified photos of the taxon, never the photo itself or its duplicate copy', async () => {
    useVerifyStore.setState({ taxonFilter: 'Boletus edulis' });
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    // Walk to the original, whose copy is verified: the copy is the same picture and must not be offered.
    const [cluster] = (await lib.lib.invoke('duplicates.clusters', { containing: idOf.get('original.jpg')!, includeResolved: true }))
      .clusters;
    expect(cluster!.members.map((m) => m.imageId)).toContain(idOf.get('copy.jpg'));
    const queue = await lib.lib.invoke('labels.queue', { taxon: 'Boletus edulis' });
    const position = queue.items.findIndex((i) => i.id === idOf.get('original.jpg'));
    expect(position).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < position; i++) press('ArrowRight');
    expect(currentId()).toBe(idOf.get('original.jpg'));
    const strip = () => [...document.querySelectorAll('.neighbour-strip img')].map((e) => Number(e.getAttribute('data-image-id')));
    await waitFor(() => expect(strip()).toEqual([idOf.get('b52.jpg')]));
  });

  it('counts progress against the filtered queue as decisions land', async () => {
    useVerifyStore.setState({ taxonFilter: 'Amanita muscaria' });
    renderWithLibrary(lib.lib, <VerifyView />);
    await waitFor(() => expect(screen.getByTestId('verify-progress').textContent).toBe('0 decided · 2 remaining in this queue'));
    press('a');
    expect(screen.getByTestId('verify-progress').textContent).toBe('1 decided · 1 remaining in this queue');
  });

  it('imports a checklist, completes Edit taxon from it, warns when the genus changes, and verifies the pick', async () => {
    const checklist = path.join(root, 'regional-checklist.txt');
    writeFileSync(checklist, 'Boletus reticulatus Schaeff.\nAmanita pantherina (DC.) Krombh.\n');
    useVerifyStore.setState({ taxonFilter: 'Boletus edulis' });
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    fireEvent.click(screen.getByRole('button', { name: 'Checklists…' }));
    fireEvent.change(screen.getByLabelText('Checklist file path'), { target: { value: checklist } });
    fireEvent.click(screen.getByRole('button', { name: 'Import checklist' }));
    await waitFor(() => expect(screen.getByTestId('checklist-report').textContent).toBe('2 names imported from the list'));
    await waitFor(() => expect(screen.getByTestId('checklists').textContent).toContain(`${checklist} · 2 names`));

    const id = currentId();
    press('e');
    const field = screen.getByLabelText('Edit taxon');
    expect((field as HTMLInputElement).value).toBe('Boletus edulis');
    expect(screen.queryByTestId('genus-warning')).toBeNull();
    // Half a genus is no claim yet: no warning while it is typed.
    fireEvent.change(field, { target: { value: 'Amani' } });
    expect(screen.queryByTestId('genus-warning')).toBeNull();
    // An epithet finds the checklist's name; the catalogue's own taxa are offered too.
    fireEvent.change(field, { target: { value: 'panth' } });
    const option = await screen.findByRole('option', { name: /Amanita pantherina/ });
    expect(option.textContent).toContain('checklist');
    fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(option.getAttribute('aria-selected')).toBe('true');
    // Enter on a highlighted name takes it; the genus now differs from the claim.
    fireEvent.submit(field.closest('form')!);
    expect((field as HTMLInputElement).value).toBe('Amanita pantherina');
    expect(screen.getByTestId('genus-warning').textContent).toBe(
      'Genus differs from the claim: Amanita here, Boletus claimed (Boletus edulis)',
    );
    // Back to the claimed genus: no warning.
    fireEvent.change(field, { target: { value: 'Boletus ret' } });
    expect(screen.queryByTestId('genus-warning')).toBeNull();
    fireEvent.mouseDown(await screen.findByRole('option', { name: /Boletus reticulatus/ }));
    expect((field as HTMLInputElement).value).toBe('Boletus reticulatus');
    fireEvent.submit(field.closest('form')!);
    await waitFor(async () =>
      expect((await lib.lib.invoke('images.get', { id })).label).toMatchObject({ state: 'human_verified', taxon: 'Boletus reticulatus' }),
    );
  });

  it('warns on the first Enter for a genus no list knows, and saves on the second', async () => {
    useVerifyStore.setState({ taxonFilter: 'Amanita muscaria' });
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    const id = currentId();
    press('e');
    const field = screen.getByLabelText('Edit taxon');
    fireEvent.change(field, { target: { value: 'Hydnum' } });
    expect(screen.queryByTestId('genus-warning')).toBeNull();
    fireEvent.submit(field.closest('form')!);
    expect(screen.getByTestId('genus-warning').textContent).toBe(
      'Genus differs from the claim: Hydnum here, Amanita claimed (Amanita muscaria)',
    );
    expect((await lib.lib.invoke('images.get', { id })).label?.state).toBe('source_claimed');
    fireEvent.submit(field.closest('form')!);
    await waitFor(async () =>
      expect((await lib.lib.invoke('images.get', { id })).label).toMatchObject({ state: 'human_verified', taxon: 'Hydnum' }),
    );
  });

  it('says in words when a checklist cannot be imported', async () => {
    renderWithLibrary(lib.lib, <VerifyView />);
    await screen.findByTestId('verify-taxon');
    fireEvent.click(screen.getByRole('button', { name: 'Checklists…' }));
    fireEvent.change(screen.getByLabelText('Checklist file path'), { target: { value: 'checklist.txt' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import checklist' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Checklist not imported: checklist\.txt: the checklist must be a full path/,
    );
  });
});
