// The Detail view's action table: previous / next through the Library's current list, zoom, back to the grid.
import type { Action } from '../../app/actions';
import type { LoupeZoom } from '../../components/synced-loupe';

export interface DetailContext {
  previous: number | null;
  next: number | null;
  zoom: LoupeZoom;
  open: (imageId: number) => void;
  setZoom: (zoom: LoupeZoom) => void;
  back: () => void;
}

export const DETAIL_ACTIONS: readonly Action<DetailContext>[] = [
  {
    id: 'previous',
    label: 'Previous',
    keys: ['arrowleft'],
    enabled: (c) => c.previous !== null,
    perform: (c) => c.previous !== null && c.open(c.previous),
  },
  {
    id: 'next',
    label: 'Next',
    keys: ['arrowright'],
    enabled: (c) => c.next !== null,
    perform: (c) => c.next !== null && c.open(c.next),
  },
  {
    id: 'zoom',
    label: '100 % / fit',
    keys: ['z'],
    perform: (c) => c.setZoom(c.zoom === 'fit' ? 'actual' : 'fit'),
  },
  {
    id: 'back',
    label: 'Library',
    keys: ['escape'],
    perform: (c) => c.back(),
  },
];
