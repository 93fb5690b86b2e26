// @vitest-environment jsdom
// Help > Diagnostics: the doctor's checks from the running library, grouped by section, each problem with its fix.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticsView } from '../../../src-renderer/views/diagnostics/diagnostics-view';
import { openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

describe('DiagnosticsView', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(() => {
    lib = openTempLibrary();
  });
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('shows each section of the report with statuses and the fix of each problem, and checks again on request', async () => {
    renderWithLibrary(lib.lib, <DiagnosticsView />);
    const native = await screen.findByRole('region', { name: 'native modules' }, { timeout: 30_000 });
    expect(
      within(native).getByRole('rowheader', { name: `better-sqlite3 for Node ${process.versions.node} (ABI ${process.versions.modules})` }),
    ).toBeTruthy();
    const models = screen.getByRole('region', { name: 'models' });
    const clip = within(models).getByRole('rowheader', { name: 'CLIP models' }).closest('tr')!;
    expect(clip.className).toBe('check-warn');
    expect(within(clip).getByText('warning')).toBeTruthy();
    expect(clip.textContent).toContain('fix: sporeprint model install Xenova/clip-vit-base-patch32');
    expect(screen.getByRole('status').textContent).toContain(`library ${lib.dir}`);
    // Counts in words, singular for one ("1 warning", as the CLI prints them).
    const { errors, warnings } = await lib.lib.invoke('diagnostics.get', {});
    const words = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
    expect(screen.getByRole('status').textContent).toMatch(
      new RegExp(`^${errors + warnings === 0 ? 'no problems found' : `${words(errors, 'error')}, ${words(warnings, 'warning')}`} · `),
    );
    // Something changes on disk (another Sporeprint takes the library): checking again shows it.
    const lockRow = () =>
      within(screen.getByRole('region', { name: 'library' }))
        .getByRole('rowheader', { name: 'owner lock' })
        .closest('tr')!;
    // The library this test opened holds its own lock.
    expect(lockRow().textContent).toContain('held by this process: sporeprint');
    expect(lockRow().textContent).not.toContain('sporeprint serve');
    const now = new Date().toISOString();
    writeFileSync(
      path.join(lib.dir, 'library.lock'),
      JSON.stringify({ pid: process.pid, hostname: os.hostname(), app: 'serve', startedAt: now, heartbeatAt: now }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(lockRow().textContent).toContain('held by this process: sporeprint serve'), { timeout: 30_000 });
  });
});
