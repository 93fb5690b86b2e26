// Library: the virtualised thumbnail grid with filters, sorts, multi-select and bulk label actions.
import { useState } from 'react';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { ThumbCard } from '../../components/thumb-card';
import { VirtualGrid } from '../../components/virtual-grid';
import { useLibraryStore } from '../../state/library-store';
import { useRoute } from '../../state/route-store';
import { BulkActions } from './bulk-actions';
import { FilterBar } from './filter-bar';
import { usePagedImages } from './use-paged-images';

export function LibraryView() {
  const filters = useLibraryStore((s) => s.filters);
  const selected = useLibraryStore((s) => s.selected);
  const select = useLibraryStore((s) => s.select);
  const go = useRoute((s) => s.go);
  const setScrollOffset = useLibraryStore((s) => s.setScrollOffset);
  // Read once on mount: the grid owns its scroll position from then on.
  const [initialOffset] = useState(() => useLibraryStore.getState().scrollOffset);
  const { total, getItem, loadedIds, onVisibleRange, isLoading, error } = usePagedImages(filters);

  // No filter but the sort and still nothing: the library itself is empty. (Asking stats.get instead would put a
  // whole-catalogue aggregate in front of the first page of thumbnails.)
  const unfiltered = Object.keys(filters).every((key) => key === 'sort' || key === 'order');
  if (!isLoading && !error && total === 0 && unfiltered) {
    return (
      <EmptyState title="Your library is empty" action={<button onClick={() => go('import')}>Import photos</button>}>
        Drop a folder of photographs anywhere in this window, or open Import and give the folder&apos;s path. Sporeprint reads them, makes
        thumbnails and scores their quality; the originals are never changed.
      </EmptyState>
    );
  }
  return (
    <div className="library-view">
      <FilterBar />
      <div className="grid-status">
        <span data-testid="library-total">{isLoading ? 'loading…' : `${total} images`}</span>
        <span className="hint">Click selects · Ctrl/⌘-click adds · Shift-click extends · double-click or Enter opens</span>
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
        renderTile={(index) => {
          const item = getItem(index);
          if (!item) return <div className="thumb placeholder" />;
          return (
            <ThumbCard
              item={item}
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
