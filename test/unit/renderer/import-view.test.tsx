// @vitest-environment jsdom
// The import view over a real library: a typed path starts an ingest; progress events drive the bar to completion.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImportView } from '../../../src-renderer/views/import/import-view';
import sharp from 'sharp';
import { makePhoto, renderPhotoRaw } from '../../fixtures/synthetic-photos';
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
    expect(screen.getByTestId('job-paths').textContent).toBe(`Imported ${photos}`);
    expect(screen.getByTestId('job-result').textContent).toContain('2 new photos added from');
    const table = await screen.findByRole('table', { name: 'Rejected files' });
    expect(table.textContent).toContain(path.join(photos, 'empty.jpg'));
    expect(table.textContent).toContain('EMPTY_FILE');
    expect((await lib.lib.invoke('stats.get', {})).images).toBe(2);
  });

  it('cancels a running ingest from its progress bar', async () => {
    // Many distinct photos (one pixel differs) so the job is still running when Cancel is pressed.
    const many = path.join(photos, '..', `${path.basename(photos)}-many`);
    mkdirSync(many, { recursive: true });
    const raw = await renderPhotoRaw(9, 640, 480);
    for (let i = 0; i < 120; i++) {
      const data = Buffer.from(raw.data);
      data[i * 3] = (data[i * 3]! + 128) % 256;
      writeFileSync(
        path.join(many, `m${i}.jpg`),
        await sharp(data, { raw: { width: 640, height: 480, channels: 3 } })
          .jpeg({ quality: 90 })
          .toBuffer(),
      );
    }
    renderWithLibrary(lib.lib, <ImportView />);
    fireEvent.change(screen.getByLabelText('Folder paths'), { target: { value: many } });
    fireEvent.click(screen.getByRole('button', { name: 'Import 1 path' }));
    const cancel = await screen.findByRole('button', { name: 'Cancel' }, { timeout: 30_000 });
    fireEvent.click(cancel);
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('cancelled'), { timeout: 60_000 });
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    const job = (await lib.lib.invoke('jobs.list', { kind: 'ingest', limit: 1 }))[0]!;
    expect(job.status).toBe('cancelled');
    expect(job.done).toBeLessThan(120);
    // The stopped job says which folder it was reading, and Resume continues that same job from its checkpoint.
    expect(screen.getByTestId('job-paths').textContent).toBe(`Cancelled while importing ${many}`);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(screen.getByTestId('job-paths').textContent).toBe(`Importing ${many}`), { timeout: 30_000 });
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
    const resumed = (await lib.lib.invoke('jobs.list', { kind: 'ingest', limit: 1 }))[0]!;
    expect(resumed.id).toBe(job.id);
    // Stopped again (a full run of 120 photos is slow on a shared machine): it went on from where it was, not from 0.
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }, { timeout: 30_000 }));
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('cancelled'), { timeout: 60_000 });
    const again = (await lib.lib.invoke('jobs.list', { kind: 'ingest', limit: 1 }))[0]!;
    expect(again.id).toBe(job.id);
    expect(again.done).toBeGreaterThanOrEqual(job.done);
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
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
