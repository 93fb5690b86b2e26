// @vitest-environment jsdom
// The import view over a real library: a typed path starts an ingest; progress events drive the bar to completion.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImportView } from '../../../src-renderer/views/import/import-view';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

describe('ImportView', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let photos: string;
  beforeAll(async () => {
    lib = openTempLibrary();
    photos = path.join(lib.dir, '..', `${path.basename(lib.dir)}-in`);
    mkdirSync(photos, { recursive: true });
    for (const seed of [5, 6]) writeFileSync(path.join(photos, `p${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    writeFileSync(path.join(photos, 'empty.jpg'), '');
  });
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('tells a new user there is nothing rejected and disables Import until a path is given', async () => {
    renderWithLibrary(lib.lib, <ImportView />);
    await screen.findByText('Nothing rejected');
    expect((screen.getByRole('button', { name: /^Import/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('runs an ingest from a typed path and lists the rejected file with its reason', async () => {
    renderWithLibrary(lib.lib, <ImportView />);
    fireEvent.change(screen.getByLabelText('Folder paths'), { target: { value: photos } });
    fireEvent.click(screen.getByRole('button', { name: 'Import 1 path' }));
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('completed'), { timeout: 60_000 });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    const table = await screen.findByRole('table', { name: 'Rejected files' });
    expect(table.textContent).toContain(path.join(photos, 'empty.jpg'));
    expect(table.textContent).toContain('EMPTY_FILE');
    expect((await lib.lib.invoke('stats.get', {})).images).toBe(2);
  });

  it('shows an API refusal in words where it happened', async () => {
    renderWithLibrary(lib.lib, <ImportView />);
    fireEvent.change(screen.getByLabelText('Folder paths'), { target: { value: ' ' } });
    expect((screen.getByRole('button', { name: /^Import/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Folder paths'), { target: { value: path.join(photos, 'missing-folder') } });
    fireEvent.click(screen.getByRole('button', { name: 'Import 1 path' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Import did not start: .*missing-folder/);
  });
});
