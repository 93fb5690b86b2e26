// Image detail: the large picture with a loupe (fit, or 100 % of the preview with pan), previous / next through the
// Library's current list (arrow keys or buttons), and the side panel of metadata and actions for that image.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { DERIVATIVE_SIZES } from '../../../src-shared/defaults';
import type { ImageDetail } from '../../../src-shared/model';
import { apiKey, useApi, useTransport } from '../../app/api-context';
import { useActionKeys } from '../../app/use-action-keys';
import { ActionButton } from '../../components/action-button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { SyncedLoupe, type LoupeImage, type LoupeZoom } from '../../components/synced-loupe';
import { isUnfiltered, useLibraryStore } from '../../state/library-store';
import { useRoute } from '../../state/route-store';
import { DETAIL_ACTIONS, type DetailContext } from './detail-actions';
import { DetailSide } from './detail-side';

/** The large derivative's path and pixel size (derivatives are never enlarged, so a small photo is its own size). */
function largeOf(d: ImageDetail): { path: string; width: number; height: number } {
  const scale = Math.min(1, DERIVATIVE_SIZES.large / Math.max(d.width, d.height));
  return {
    path: d.derivatives['large.jpeg'] ?? d.thumbPath,
    width: Math.round(d.width * scale),
    height: Math.round(d.height * scale),
  };
}

export function DetailView() {
  const imageId = useRoute((s) => s.imageId);
  const go = useRoute((s) => s.go);
  const filters = useLibraryStore((s) => s.filters);
  const transport = useTransport();
  const { mediaUrl, originalUrl } = transport;
  const client = useQueryClient();
  const [zoom, setZoom] = useState<LoupeZoom>('fit');
  const image = useApi('images.get', { id: imageId ?? 1 }, { enabled: imageId !== null });
  const place = useApi('images.neighbours', { ...filters, id: imageId ?? 1 }, { enabled: imageId !== null });
  const neighbours = place.data ?? null;

  // The next and previous images are fetched ahead with their own neighbours, so an arrow key shows one at once
  // and the key after it finds its step already known.
  useEffect(() => {
    for (const id of [neighbours?.next, neighbours?.previous]) {
      if (!id) continue;
      void client.prefetchQuery({ queryKey: apiKey('images.get', { id }), queryFn: () => transport.invoke('images.get', { id }) });
      const around = { ...filters, id };
      void client.prefetchQuery({
        queryKey: apiKey('images.neighbours', around),
        queryFn: () => transport.invoke('images.neighbours', around),
      });
    }
  }, [client, transport, filters, neighbours?.next, neighbours?.previous]);

  const ctx: DetailContext = {
    previous: neighbours?.previous ?? null,
    next: neighbours?.next ?? null,
    zoom,
    open: (id) => go('detail', id),
    setZoom,
    back: () => go('library'),
  };
  useActionKeys(DETAIL_ACTIONS, ctx);

  const d = image.data ?? null;
  const large = d ? largeOf(d) : null;
  // One array per image: the loupe re-centres whenever its pictures change.
  const loupeImages = useMemo((): LoupeImage[] => {
    if (!d) return [];
    const l = largeOf(d);
    return [
      {
        src: mediaUrl(l.path),
        label: d.taxon ?? `image ${d.id}`,
        width: l.width,
        height: l.height,
        imageId: d.id,
        original: { src: originalUrl(d.id), width: d.width, height: d.height },
      },
    ];
  }, [d, mediaUrl, originalUrl]);

  if (imageId === null) return <EmptyState title="No image open">Open one from the Library (double-click or Enter).</EmptyState>;
  const button = (id: string) => <ActionButton action={DETAIL_ACTIONS.find((a) => a.id === id)!} ctx={ctx} />;
  const where = isUnfiltered(filters) ? 'the library' : 'the filtered Library list';
  return (
    <div className="detail-view">
      <div className="detail-main">
        <div className="row detail-nav">
          {button('back')}
          {button('previous')}
          <span data-testid="detail-position">
            {neighbours
              ? neighbours.position !== null
                ? `${neighbours.position} of ${neighbours.total} in ${where}`
                : `not in ${where} any more (${neighbours.total} images)`
              : ''}
          </span>
          {button('next')}
          {button('zoom')}
        </div>
        {image.error ? <ErrorNote error={image.error} title={`Image ${imageId}`} /> : null}
        <ErrorNote error={place.error} title="Previous and next unavailable" />
        {!d && !image.error ? <p className="loading">loading…</p> : null}
        {d && large ? (
          <>
            <SyncedLoupe images={loupeImages} zoom={zoom} mode="side" onZoomChange={setZoom} />
            <p className="hint" data-testid="loupe-scale">
              {zoom === 'fit' ? 'Click the picture (or press Z) for 100 %; drag to pan. ' : 'Drag or scroll to pan; Z fits it again. '}
              {`100 % shows the original's pixels (${d.width} × ${d.height}), one image pixel per screen pixel.`}
            </p>
          </>
        ) : null}
      </div>
      {d ? <DetailSide key={d.id} d={d} /> : null}
    </div>
  );
}
