// Library: the virtualised thumbnail grid with filters, sorts, tile size, multi-select and bulk label actions.
import { useRef, useState } from 'react';
import { useActionKeys } from '../../app/use-action-keys';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { VirtualGrid } from '../../components/virtual-grid';
import { isUnfiltered, useLibraryStore } from '../../state/library-store';
import { useRoute } from '../../state/route-store';
import { TILE_GAP } from '../../state/tile-size';
import { BulkActions } from './bulk-actions';
import { FilterBar } from './filter-bar';
import { LIBRARY_ACTIONS, type LibraryContext } from './library-actions';
import { LibraryTile } from './library-tile';
import { TileSizeSlider } from './tile-size-slider';
import { usePagedImages } from './use-paged-images';

export function LibraryView() {
  const filters = useLibraryStore((s) => s.filters);
  const selected = useLibraryStore((s) => s.selected);
  const anchor = useLibraryStore((s) => s.anchor);
  const select = useLibraryStore((s) => s.select);
  const clearSelection = useLibraryStore((s) => s.clearSelection);
  const tileSize = useLibraryStore((s) => s.tileSize);
  const setTileSize = useLibraryStore((s) => s.setTileSize);
  const go = useRoute((s) => s.go);
  const setScrollOffset = useLibraryStore((s) => s.setScrollOffset);
  // Read once on mount: the grid owns its scroll position from then on.
  const [initialOffset] = useState(() => useLibraryStore.getState().scrollOffset);
  const { total, getItem, loadedIds, onVisibleRange, isLoading, error } = usePagedImages(filters);
  const gridBox = useRef<HTMLDivElement>(null);

  const ctx: LibraryContext = {
    selectedCount: selected.size,
    tileSize,
    clearSelection,
    setTileSize,
    arrowsTaken: () => {
      const active = document.activeElement;
      if (!active || active === document.body) return false;
      const grid = gridBox.current?.querySelector('[role="grid"]');
      return Boolean(grid?.contains(active)) || (active instanceof HTMLInputElement && active.type === 'range');
    },
    focusGrid: () => {
      const tiles = gridBox.current;
      const target =
        (anchor !== null ? tiles?.querySelector<HTMLElement>(`.thumb[data-image-id="${anchor}"]`) : null) ??
        tiles?.querySelector<HTMLElement>('.thumb[data-image-id]');
      target?.focus();
    },
  };
  useActionKeys(LIBRARY_ACTIONS, ctx);

  // No filter but the sort and still nothing: the library itself is empty. (Asking stats.get instead would put a
  // whole-catalogue aggregate in front of the first page of thumbnails.)
  if (!isLoading && !error && total === 0 && isUnfiltered(filters)) {
    return (
      <EmptyState title="Your library is empty" action={<button onClick={() => go('import')}>Import photos</button>}>
        Drop a folder of photographs anywhere in this window, or open Import and give the folder&apos;s path. Sporeprint reads them, makes
        thumbnails and scores their quality; the originals are never changed.
      </EmptyState>
    );
  }
  return (
    <div className="library-view" ref={gridBox}>
      <FilterBar />
      <div className="grid-status">
        <span data-testid="library-total">{isLoading ? 'loading…' : `${total} images`}</span>
        <TileSizeSlider />
        <span className="hint">Click selects · Ctrl/⌘-click adds · Shift-click extends · double-click or Enter opens · +/− tile size</span>
      </div>
      <BulkActions />
      <ErrorNote error={error} title="Could not list images" />
      {!isLoading && total === 0 && !error ? (
        <EmptyState title="No image matches these filters">Loosen a filter or press Reset.</EmptyState>
      ) : null}
      <VirtualGrid
        ariaLabel="Images"
        count={total}
        onVisibleRange={onVisibleRange}
        initialOffset={initialOffset}
        onOffsetChange={setScrollOffset}
        tileSize={tileSize + TILE_GAP}
        renderTile={(index) => {
          const item = getItem(index);
          if (!item) return <div className="thumb placeholder" />;
          return (
            <LibraryTile
              item={item}
              size={tileSize}
              selected={selected.has(item.id)}
              onClick={(e) => select(item.id, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'one', loadedIds)}
              onOpen={() => go('detail', item.id)}
            />
          );
        }}
      />
    </div>
  );
}
