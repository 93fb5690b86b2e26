// @vitest-environment jsdom
// The duplicates view over a real catalogue: a photo and its resized copy form a cluster the curator resolves.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DuplicatesView } from '../../../src-renderer/views/duplicates/duplicates-view';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';
import { makeVariant } from '../../fixtures/variants';
import { renderWithLibrary } from './render-app';

describe('DuplicatesView', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(async () => {
    lib = openTempLibrary();
    const photos = path.join(lib.dir, '..', `${path.basename(lib.dir)}-dups`);
    mkdirSync(photos, { recursive: true });
    const original = await makePhoto(31, { width: 640, height: 480 });
    writeFileSync(path.join(photos, 'original.jpg'), original);
    writeFileSync(path.join(photos, 'resized.jpg'), await makeVariant(original, 'resize'));
    writeFileSync(path.join(photos, 'other.jpg'), await makePhoto(77, { width: 640, height: 480 }));
    await ingestAndWait(lib.lib, [photos]);
  });
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('compares the representative with a member, keeps the cluster after a decision, resolves it with Enter', async () => {
    const before = await lib.lib.invoke('duplicates.clusters', {});
    expect(before.unresolved).toBe(1);
    renderWithLibrary(lib.lib, <DuplicatesView />);
    await waitFor(() => expect(screen.getByTestId('clusters-left').textContent).toBe('1 cluster left'));
    const rep = await screen.findByTestId('card-representative');
    expect(Number(rep.getAttribute('data-image-id'))).toBe(before.clusters[0]!.representative);
    const member = screen.getByTestId('card-member');
    expect(member.querySelector('[data-field="match"]')!.textContent).toMatch(/distance \d+/);
    expect(member.querySelector('[data-field="dimensions"]')!.textContent).toMatch(/\d+×\d+ · [\d.]+ (KB|B|MB)/);
    expect(screen.getByTestId('threshold-value').textContent).toBe(String(before.threshold));
    // Make representative with its button, then keys still work with that button focused: the cluster stays.
    const memberId = Number(member.getAttribute('data-image-id'));
    const makeRep = document.querySelector<HTMLButtonElement>('[data-action="make-representative"]')!;
    makeRep.focus();
    fireEvent.click(makeRep);
    await waitFor(() => expect(Number(screen.getByTestId('card-representative').getAttribute('data-image-id'))).toBe(memberId));
    fireEvent.keyDown(makeRep, { key: 'Enter' });
    await screen.findByText('No duplicate clusters left');
    expect((await lib.lib.invoke('duplicates.clusters', {})).unresolved).toBe(0);
  });
});
