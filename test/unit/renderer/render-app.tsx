// Renders renderer components over a real library (IPC transport through an in-process bridge) with a fresh query cache.
import { QueryClient } from '@tanstack/react-query';
import { configure, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiProvider } from '../../../src-renderer/app/api-context';
import { createIpcTransport } from '../../../src-renderer/app/ipc-transport';
import type { ApiHost } from '../../../src-main/host/api-host';
import { libraryBridge } from '../../fixtures/library-bridge';

// These views read a real library, whose facade imports each domain's handlers on its first call: on a loaded CI
// machine that first answer can take seconds, so findBy*/waitFor wait up to 15 s instead of testing-library's 1 s.
configure({ asyncUtilTimeout: 15_000 });

export function renderWithLibrary(lib: ApiHost, ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
  const transport = createIpcTransport(libraryBridge(lib));
  return {
    transport,
    client,
    ...render(
      <ApiProvider transport={transport} client={client}>
        {ui}
      </ApiProvider>,
    ),
  };
}

/** jsdom has no layout: give elements a size so the virtualiser renders rows. */
export function giveElementsASize(width = 1000, height = 800): void {
  for (const [prop, value] of [
    ['offsetWidth', width],
    ['offsetHeight', height],
    ['clientWidth', width],
    ['clientHeight', height],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
  }
}
