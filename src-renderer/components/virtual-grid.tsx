// A virtualised grid of fixed-size tiles: only the rows on screen (plus overscan) exist in the DOM, so 100k items scroll smoothly.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';

/** A grid cell's edge when the caller gives none: a 150 px thumbnail and its margin. */
export const TILE_SIZE = 164;

export function VirtualGrid({
  count,
  renderTile,
  onVisibleRange,
  ariaLabel,
  initialOffset = 0,
  onOffsetChange,
  tileSize = TILE_SIZE,
}: {
  count: number;
  /** Renders the tile at `index` (a placeholder when its page has not arrived yet). */
  renderTile: (index: number) => ReactNode;
  onVisibleRange?: (first: number, last: number) => void;
  ariaLabel: string;
  /** Scroll position to start at, so returning from another view lands where the curator left. */
  initialOffset?: number;
  onOffsetChange?: (offset: number) => void;
  /** Edge of a grid cell in CSS pixels; tiles read it as the --tile custom property. */
  tileSize?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(6);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () => setColumns(Math.max(1, Math.floor((element.clientWidth - 8) / tileSize)));
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(element);
    return () => observer?.disconnect();
  }, [tileSize]);

  const rows = Math.ceil(count / columns);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser is designed to be read during render
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => tileSize,
    overscan: 3,
    initialOffset,
    onChange: (instance) => onOffsetChange?.(instance.scrollOffset ?? 0),
  });
  // The virtualiser caches row sizes: a new tile size must replace them, or rows would keep their old height.
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, tileSize]);
  const items = virtualizer.getVirtualItems();
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) onVisibleRange?.(firstRow * columns, Math.min(count - 1, (lastRow + 1) * columns - 1));
  }, [firstRow, lastRow, columns, count, onVisibleRange]);

  // Arrow keys, Home/End and Page keys move focus between tiles, scrolling the target row into view first.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!cell || count === 0) return;
    const index = Number(cell.dataset.index);
    const page = columns * Math.max(1, items.length - 2);
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      PageDown: page,
      PageUp: -page,
    };
    let next: number;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = count - 1;
    else if (event.key in moves) next = Math.max(0, Math.min(count - 1, index + moves[event.key]!));
    else return;
    event.preventDefault();
    virtualizer.scrollToIndex(Math.floor(next / columns));
    const focus = (attempt: number) => {
      const target = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] button`);
      if (target) target.focus();
      else if (attempt < 10) requestAnimationFrame(() => focus(attempt + 1));
    };
    focus(0);
  };

  return (
    <div
      ref={scrollRef}
      onKeyDown={onKeyDown}
      className="virtual-grid"
      role="grid"
      aria-label={ariaLabel}
      aria-rowcount={rows}
      data-count={count}
      style={{ '--tile': `${tileSize}px` } as CSSProperties}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((row) => (
          <div
            key={row.key}
            role="row"
            className="grid-row"
            style={{ position: 'absolute', top: 0, left: 0, transform: `translateY(${row.start}px)`, height: tileSize }}
          >
            {Array.from({ length: columns }, (_, c) => row.index * columns + c)
              .filter((index) => index < count)
              .map((index) => (
                <div key={index} role="gridcell" className="grid-cell" data-index={index}>
                  {renderTile(index)}
                </div>
              ))}
          </div>
        ))}
      </div>
    </div>
  );
}
