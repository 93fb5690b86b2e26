// Large pictures side by side, uncropped, with a loupe: at 100 % every pane pans together (scroll or drag), and
// two pictures can be flickered or shown as their difference, as Lightroom's and digiKam's compare views do.
import { useEffect, useLayoutEffect, useRef, useState, type PointerEvent } from 'react';

export interface LoupeImage {
  src: string;
  /** Caption over the pane, e.g. "representative #12". */
  label: string;
  /** Pixel size of `src` (the derivative shown), so 100 % can be laid out before it loads. */
  width: number;
  height: number;
  imageId: number;
  /** The original (its pixel size), shown at 100 % so one image pixel is one CSS pixel; the preview when absent. */
  original?: { src: string; width: number; height: number };
}

export type LoupeMode = 'side' | 'flicker' | 'difference';
export type LoupeZoom = 'fit' | 'actual';

/** Scroll fractions (0-1) every pane is kept at, so different sizes pan over the same part of the scene. */
interface Focus {
  x: number;
  y: number;
}

function fractionOf(el: HTMLElement): Focus {
  const w = el.scrollWidth - el.clientWidth;
  const h = el.scrollHeight - el.clientHeight;
  return { x: w > 0 ? el.scrollLeft / w : 0.5, y: h > 0 ? el.scrollTop / h : 0.5 };
}

function scrollTo(el: HTMLElement, focus: Focus): void {
  const left = focus.x * (el.scrollWidth - el.clientWidth);
  const top = focus.y * (el.scrollHeight - el.clientHeight);
  // Only real moves: an echo of the same position must not start another round of scroll events.
  if (Math.abs(el.scrollLeft - left) > 1) el.scrollLeft = left;
  if (Math.abs(el.scrollTop - top) > 1) el.scrollTop = top;
}

export function SyncedLoupe({
  images,
  zoom,
  mode,
  onZoomChange,
  flickerMs = 600,
}: {
  images: LoupeImage[];
  zoom: LoupeZoom;
  mode: LoupeMode;
  onZoomChange: (zoom: LoupeZoom) => void;
  flickerMs?: number;
}) {
  const panes = useRef<(HTMLDivElement | null)[]>([]);
  const focus = useRef<Focus>({ x: 0.5, y: 0.5 });
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);
  const [flickerIndex, setFlickerIndex] = useState(0);
  // Originals that did not load (gone, changed, too large to convert): 100 % falls back to the preview for them.
  const [failedOriginals, setFailedOriginals] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    if (mode !== 'flicker' || images.length < 2) return;
    const timer = setInterval(() => setFlickerIndex((i) => (i + 1) % 2), flickerMs);
    return () => clearInterval(timer);
  }, [mode, images.length, flickerMs]);

  // After a zoom change or new pictures, every pane shows the remembered part of the scene.
  useLayoutEffect(() => {
    for (const el of panes.current) if (el) scrollTo(el, focus.current);
  }, [zoom, mode, images]);

  const onScroll = (index: number) => {
    const el = panes.current[index];
    if (!el || zoom !== 'actual') return;
    focus.current = fractionOf(el);
    panes.current.forEach((other, i) => {
      if (other && i !== index) scrollTo(other, focus.current);
    });
  };

  const onPointerDown = (index: number, e: PointerEvent<HTMLDivElement>) => {
    const el = panes.current[index];
    if (!el) return;
    if (zoom === 'fit') {
      // A click zooms to 100 % on the clicked point.
      const box = el.getBoundingClientRect();
      focus.current = { x: (e.clientX - box.left) / box.width, y: (e.clientY - box.top) / box.height };
      onZoomChange('actual');
      return;
    }
    drag.current = { x: e.clientX, y: e.clientY, left: el.scrollLeft, top: el.scrollTop };
    el.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    e.currentTarget.scrollLeft = d.left - (e.clientX - d.x);
    e.currentTarget.scrollTop = d.top - (e.clientY - d.y);
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  const picture = (img: LoupeImage, extraClass = '') => {
    const original = zoom === 'actual' && img.original && !failedOriginals.has(img.original.src) ? img.original : null;
    const shown = original ?? img;
    return (
      <img
        key={`${img.imageId}-${extraClass}`}
        className={`loupe-img ${extraClass}`}
        src={shown.src}
        alt={img.label}
        draggable={false}
        data-image-id={img.imageId}
        data-source={original ? 'original' : 'preview'}
        title={zoom === 'actual' && !original && img.original ? 'the original could not be shown: this is the 1280 px preview' : undefined}
        onError={() => {
          if (original) setFailedOriginals((s) => new Set(s).add(original.src));
        }}
        {...(zoom === 'actual' ? { width: shown.width, height: shown.height } : {})}
      />
    );
  };
  const pane = (index: number, caption: string, content: React.ReactNode, testId: string) => (
    <div className="compare-pane" data-testid={testId} key={testId}>
      <div className="pane-caption">{caption}</div>
      <div
        className={`loupe-pane zoom-${zoom}`}
        ref={(el) => {
          panes.current[index] = el;
        }}
        onScroll={() => onScroll(index)}
        onPointerDown={(e) => onPointerDown(index, e)}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        {content}
      </div>
    </div>
  );

  if (mode === 'side' || images.length < 2) {
    return (
      <div className={`compare-panes count-${images.length}`} data-mode="side" data-zoom={zoom}>
        {images.map((img, i) => pane(i, img.label, picture(img), `compare-pane-${i}`))}
      </div>
    );
  }
  const [a, b] = images as [LoupeImage, LoupeImage];
  if (mode === 'flicker') {
    const shown = flickerIndex === 0 ? a : b;
    return (
      <div className="compare-panes count-1" data-mode="flicker" data-zoom={zoom}>
        {pane(0, `flicker: ${shown.label}`, picture(shown), 'compare-pane-flicker')}
      </div>
    );
  }
  return (
    <div className="compare-panes count-1" data-mode="difference" data-zoom={zoom}>
      {pane(
        0,
        `difference: ${a.label} − ${b.label} (black where they agree)`,
        <div className="difference-stack">
          {picture(a)}
          {picture(b, 'difference-top')}
        </div>,
        'compare-pane-difference',
      )}
    </div>
  );
}
