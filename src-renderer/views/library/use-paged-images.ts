// Fetches the library listing page by page, only the pages the grid shows, and keeps them cached by react-query.
// A page whose predecessor is loaded asks for the rows after that page's last one (keyset: O(page) at any depth,
// so scrolling through the library is linear); a jump far ahead asks by offset.
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ImageQuery } from '../../../src-shared/api/catalog';
import type { ImagePageCursor, ImageSummary } from '../../../src-shared/model';
import { apiKey, useTransport } from '../../app/api-context';

export const PAGE_SIZE = 200;
const SETTLE_MS = 60;

export function usePagedImages(query: Omit<ImageQuery, 'offset' | 'limit' | 'after'>) {
  const transport = useTransport();
  const client = useQueryClient();
  const [range, setRange] = useState<[number, number]>([0, PAGE_SIZE - 1]);
  const pages = useMemo(() => {
    const first = Math.floor(range[0] / PAGE_SIZE);
    const last = Math.floor(range[1] / PAGE_SIZE);
    // Page 0 always loads: it carries the total that sizes the grid.
    return Array.from(new Set([0, ...Array.from({ length: last - first + 1 }, (_, i) => first + i)]));
  }, [range]);
  const results = useQueries({
    queries: pages.map((page) => {
      // The key names the page by offset, so a page is cached once however it was fetched.
      const pageKey = (p: number) => apiKey('images.list', { ...query, offset: p * PAGE_SIZE, limit: PAGE_SIZE });
      const queryFn = () => {
        const before = page > 0 ? client.getQueryData<{ next: ImagePageCursor | null }>(pageKey(page - 1)) : undefined;
        const input = before?.next
          ? { ...query, after: before.next, limit: PAGE_SIZE }
          : { ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE };
        return transport.invoke('images.list', input);
      };
      return { queryKey: pageKey(page), queryFn };
    }),
  });
  const byPage = new Map<number, ImageSummary[]>();
  results.forEach((r, i) => {
    if (r.data) byPage.set(pages[i]!, r.data.items);
  });
  const total = results[0]?.data?.total ?? 0;
  const getItem = (index: number): ImageSummary | undefined => byPage.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  const loadedIds = [...byPage.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, items]) => items.map((i) => i.id));
  // While the user flings through the grid, pages scrolled past are never requested: only where the scroll settles.
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (settle.current && clearTimeout(settle.current)), []);
  const onVisibleRange = useCallback((first: number, last: number) => {
    if (settle.current) clearTimeout(settle.current);
    settle.current = setTimeout(() => setRange((prev) => (prev[0] === first && prev[1] === last ? prev : [first, last])), SETTLE_MS);
  }, []);
  return {
    total,
    getItem,
    loadedIds,
    onVisibleRange,
    isLoading: results[0]?.isLoading ?? true,
    error: results.find((r) => r.error)?.error ?? null,
  };
}
