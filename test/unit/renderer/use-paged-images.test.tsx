// @vitest-environment jsdom
// The grid's pager over a real catalogue: the page after a loaded one is asked for by cursor (keyset), a page far
// ahead by offset, and either way the grid shows the rows the catalogue orders there.
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../src-renderer/app/api-context';
import { createIpcTransport } from '../../../src-renderer/app/ipc-transport';
import { PAGE_SIZE, usePagedImages } from '../../../src-renderer/views/library/use-paged-images';
import { insertImages } from '../../fixtures/catalog-rows';
import { libraryBridge } from '../../fixtures/library-bridge';
import { openTempLibrary } from '../../fixtures/temp-library';

describe('usePagedImages', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(() => {
    lib = openTempLibrary();
    insertImages(lib.lib.db, 'pager', PAGE_SIZE * 5 + 17);
  });
  afterAll(async () => lib?.cleanup());

  it('fetches the next page by cursor and a far page by offset, each showing the right rows', async () => {
    const transport = createIpcTransport(libraryBridge(lib.lib));
    const inputs: Record<string, unknown>[] = [];
    const invoke = transport.invoke;
    transport.invoke = ((method: string, input: Record<string, unknown>) => {
      if (method === 'images.list') inputs.push(input);
      return invoke(method as never, input as never);
    }) as typeof transport.invoke;
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <ApiProvider transport={transport} client={client}>
        {children}
      </ApiProvider>
    );
    const { result } = renderHook(() => usePagedImages({ sort: 'quality', order: 'desc' }), { wrapper });
    await waitFor(() => expect(result.current.total).toBe(PAGE_SIZE * 5 + 17));
    const expected = lib.lib.db.prepare('SELECT id FROM image ORDER BY quality_score DESC, id DESC').pluck().all() as number[];

    act(() => result.current.onVisibleRange(PAGE_SIZE + 5, PAGE_SIZE + 50));
    await waitFor(() => expect(result.current.getItem(PAGE_SIZE + 5)).toBeDefined());
    expect(inputs.at(-1)).toMatchObject({ after: { id: expected[PAGE_SIZE - 1] } });
    expect(inputs.at(-1)).not.toHaveProperty('offset');
    expect(result.current.getItem(PAGE_SIZE)!.id).toBe(expected[PAGE_SIZE]);

    act(() => result.current.onVisibleRange(PAGE_SIZE * 4 + 3, PAGE_SIZE * 4 + 30));
    await waitFor(() => expect(result.current.getItem(PAGE_SIZE * 4 + 3)).toBeDefined());
    expect(inputs.at(-1)).toMatchObject({ offset: PAGE_SIZE * 4 });
    expect(result.current.getItem(PAGE_SIZE * 4 + 3)!.id).toBe(expected[PAGE_SIZE * 4 + 3]);
  });
});
