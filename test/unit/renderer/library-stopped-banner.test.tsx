// @vitest-environment jsdom
// The "library stopped" banner over a real worker-hosted library: the thread dies, the banner says why, Reopen
// starts a new thread and the banner goes; a page opened after the death learns it from its first call.
import type { Worker } from 'node:worker_threads';
import path from 'node:path';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LibraryStoppedBanner } from '../../../src-renderer/components/library-stopped-banner';
import { LibraryClient } from '../../../src-main/host/library-client';
import { makeTempDir } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

describe('LibraryStoppedBanner', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let client: LibraryClient;
  const killThread = () => (client as unknown as { thread: { worker: Worker } }).thread.worker.terminate();

  beforeAll(async () => {
    temp = makeTempDir();
    client = await LibraryClient.open(path.join(temp.dir, 'library'));
  });
  afterEach(() => cleanup());
  afterAll(async () => {
    await client?.close();
    temp?.cleanup();
  });

  it('appears when the thread dies, and Reopen brings the library back', async () => {
    renderWithLibrary(client, <LibraryStoppedBanner />);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(screen.queryByRole('alert', { name: 'Library stopped' })).toBeNull();

    await killThread();
    const banner = await screen.findByRole('alert', { name: 'Library stopped' });
    expect(banner.textContent).toMatch(/Library stopped: the library stopped: its thread exited \(code 1\)/);

    fireEvent.click(screen.getByRole('button', { name: 'Reopen' }));
    await waitFor(() => expect(screen.queryByRole('alert', { name: 'Library stopped' })).toBeNull(), { timeout: 30_000 });
    expect((await client.invoke('stats.get', {})).images).toBe(0);
  });

  it('shows on a page opened after the thread died', async () => {
    await killThread();
    renderWithLibrary(client, <LibraryStoppedBanner />);
    expect((await screen.findByRole('alert', { name: 'Library stopped' })).textContent).toMatch(/its thread exited/);
  });
});
