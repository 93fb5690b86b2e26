// @vitest-environment jsdom
// The Export view over a real catalogue says what an export leaves out, and why it is empty, in the preview and
// again when the export has run (issue 15: not only in a dry run).
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExportView } from '../../../src-renderer/views/export/export-view';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

describe('ExportView left-out report', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let outDir: string;
  beforeAll(async () => {
    lib = openTempLibrary();
    const photos = path.join(lib.dir, '..', `${path.basename(lib.dir)}-photos`, 'Amanita muscaria');
    mkdirSync(photos, { recursive: true });
    for (const seed of [1, 2, 3]) writeFileSync(path.join(photos, `m${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    await ingestAndWait(lib.lib, [path.dirname(photos)]);
    outDir = path.join(lib.dir, '..', `${path.basename(lib.dir)}-export`);
  }, 60_000);
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  const fillForm = () => {
    fireEvent.change(screen.getByLabelText('Output folder'), { target: { value: outDir } });
    fireEvent.change(screen.getByLabelText('Export view'), { target: { value: 'training_general' } });
  };

  it('the preview says the photos have no licence and how to set one', async () => {
    renderWithLibrary(lib.lib, <ExportView />);
    fillForm();
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const reason = await screen.findByTestId('export-empty-reason');
    expect(reason.textContent).toMatch(/3 photo\(s\) have no licence: set one with `sporeprint license set <folder>/);
    expect(screen.getByTestId('export-left-out').textContent).toMatch(/Library > Set licence/);
  }, 30_000);

  it('the finished export says the same, rule by rule', async () => {
    renderWithLibrary(lib.lib, <ExportView />);
    fillForm();
    fireEvent.click(screen.getByRole('button', { name: 'Start export' }));
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('completed'), { timeout: 30_000 });
    const result = screen.getByTestId('job-result').textContent ?? '';
    expect(result).toMatch(/Nothing exported: nothing to export from 3 catalogued photo\(s\)/);
    expect(result).toMatch(/left out, license unknown: 3 photo\(s\) have no licence/);
  }, 60_000);
});
