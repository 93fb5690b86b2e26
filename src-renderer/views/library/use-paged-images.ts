// Fetches the library listing page by page, only the pages the grid shows, and keeps them cached by react-query.
import { useQueries } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { ImageQuery } from '../../../src-shared/api/catalog';
import type { ImageSummary } from '../../../src-shared/model';
import { apiKey, useTransport } from '../../app/api-context';

export const PAGE_SIZE = 200;

export function usePagedImages(query: Omit<ImageQuery, 'offset' | 'limit'>) {
  const transport = useTransport();
  const [range, setRange] = useState<[number, number]>([0, PAGE_SIZE - 1]);
  const pages = useMemo(() => {
    const first = Math.floor(range[0] / PAGE_SIZE);
    const last = Math.floor(range[1] / PAGE_SIZE);
    // Page 0 always loads: it carries the total that sizes the grid.
    return Array.from(new Set([0, ...Array.from({ length: last - first + 1 }, (_, i) => first + i)]));
  }, [range]);
  const results = useQueries({
    queries: pages.map((page) => {
      const input = { ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE };
      return { queryKey: apiKey('images.list', input), queryFn: () => transport.invoke('images.list', input) };
    }),
  });
  const byPage = new Map<number, ImageSummary[]>();
  results.forEach((r, i) => {
    if (r.data) byPage.set(pages[i]!, r.data.items);
  });
  const total = results[0]?.data?.total ?? 0;
  const getItem = (index: number): ImageSummary | undefined => byPage.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  const loadedIds = [...byPage.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, items]) => items.map((i) => i.id));
  const onVisibleRange = useCallback(
    (first: number, last: number) => setRange((prev) => (prev[0] === first && prev[1] === last ? prev : [first, last])),
    [],
  );
  return {
    total,
    getItem,
    loadedIds,
    onVisibleRange,
    isLoading: results[0]?.isLoading ?? true,
    error: results.find((r) => r.error)?.error ?? null,
  };
}
