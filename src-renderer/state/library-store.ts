// Library view UI state: filters, sort, the multi-selection and the tile size.
import { create } from 'zustand';
import type { ImageQuery } from '../../src-shared/api/catalog';
import { clampTileSize, rememberedTileSize, rememberTileSize } from './tile-size';

export type LibraryFilters = Omit<ImageQuery, 'offset' | 'limit' | 'ids' | 'after'>;

interface LibraryState {
  filters: LibraryFilters;
  selected: ReadonlySet<number>;
  /** Anchor of a shift-click range. */
  anchor: number | null;
  /** Grid scroll position, kept while the curator is in the detail view. */
  scrollOffset: number;
  /** Tile edge in CSS pixels (150-400), remembered across sessions. */
  tileSize: number;
  setTileSize(size: number): void;
  setScrollOffset(offset: number): void;
  setFilter<K extends keyof LibraryFilters>(key: K, value: LibraryFilters[K] | undefined): void;
  /** Sets several filters at once (undefined removes one): one new listing instead of one per field. */
  setFilters(patch: Partial<LibraryFilters>): void;
  /** A new sort starts in its natural direction: taxa A-Z, everything else largest or newest first. */
  setSort(sort: LibraryFilters['sort']): void;
  resetFilters(): void;
  /** Plain click selects one; ctrl/cmd toggles; shift extends from the anchor over `order`. */
  select(id: number, mode: 'one' | 'toggle' | 'range', order?: readonly number[]): void;
  clearSelection(): void;
}

const DEFAULT_FILTERS: LibraryFilters = { sort: 'created', order: 'desc' };

export const NATURAL_ORDER: Record<NonNullable<LibraryFilters['sort']>, 'asc' | 'desc'> = {
  created: 'desc',
  quality: 'desc',
  taxon: 'asc',
  size: 'desc',
  resolution: 'desc',
};

export function isUnfiltered(filters: LibraryFilters): boolean {
  return Object.keys(filters).every((key) => key === 'sort' || key === 'order');
}

export const useLibraryStore = create<LibraryState>((set, get) => ({
  filters: DEFAULT_FILTERS,
  selected: new Set(),
  anchor: null,
  scrollOffset: 0,
  tileSize: rememberedTileSize(),
  setTileSize(size) {
    const tileSize = clampTileSize(size);
    if (tileSize === get().tileSize) return;
    rememberTileSize(tileSize);
    set({ tileSize, scrollOffset: 0 });
  },
  setScrollOffset(scrollOffset) {
    if (scrollOffset !== get().scrollOffset) set({ scrollOffset });
  },
  setFilter(key, value) {
    const filters = { ...get().filters };
    if (value === undefined || value === '') delete filters[key];
    else filters[key] = value;
    set({ filters, selected: new Set(), anchor: null, scrollOffset: 0 });
  },
  setFilters(patch) {
    const filters = { ...get().filters };
    for (const [key, value] of Object.entries(patch) as [keyof LibraryFilters, unknown][]) {
      if (value === undefined || value === '') delete filters[key];
      else Object.assign(filters, { [key]: value });
    }
    set({ filters, selected: new Set(), anchor: null, scrollOffset: 0 });
  },
  setSort(sort) {
    get().setFilters({ sort, order: NATURAL_ORDER[sort ?? 'created'] });
  },
  resetFilters() {
    set({ filters: DEFAULT_FILTERS, selected: new Set(), anchor: null, scrollOffset: 0 });
  },
  select(id, mode, order = []) {
    const { selected, anchor } = get();
    if (mode === 'one') return set({ selected: new Set([id]), anchor: id });
    if (mode === 'toggle') {
      const next = new Set(selected);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return set({ selected: next, anchor: id });
    }
    const from = anchor === null ? -1 : order.indexOf(anchor);
    const to = order.indexOf(id);
    if (from < 0 || to < 0) return set({ selected: new Set([id]), anchor: id });
    const [lo, hi] = from < to ? [from, to] : [to, from];
    set({ selected: new Set([...selected, ...order.slice(lo, hi + 1)]) });
  },
  clearSelection() {
    set({ selected: new Set(), anchor: null });
  },
}));
