// The Library view's action table: its keys work whichever button has focus (text fields and lists opt out).
import type { Action } from '../../app/actions';
import { TILE_SIZE_STEP } from '../../state/tile-size';

export interface LibraryContext {
  selectedCount: number;
  tileSize: number;
  clearSelection: () => void;
  setTileSize: (size: number) => void;
  /** True while focus is on a tile (the grid moves it with the arrows itself) or on a slider (whose value they move). */
  arrowsTaken: () => boolean;
  /** Puts focus on the selected tile, else the first one on screen, so the arrows move through the grid. */
  focusGrid: () => void;
}

export const LIBRARY_ACTIONS: readonly Action<LibraryContext>[] = [
  {
    id: 'clear-selection',
    label: 'Clear selection',
    keys: ['escape'],
    enabled: (c) => c.selectedCount > 0,
    perform: (c) => c.clearSelection(),
  },
  {
    id: 'larger-tiles',
    label: 'Larger tiles',
    keys: ['+', '='],
    keyHint: '+',
    perform: (c) => c.setTileSize(c.tileSize + 5 * TILE_SIZE_STEP),
  },
  {
    id: 'smaller-tiles',
    label: 'Smaller tiles',
    keys: ['-'],
    perform: (c) => c.setTileSize(c.tileSize - 5 * TILE_SIZE_STEP),
  },
  {
    id: 'focus-grid',
    label: 'Move through the tiles',
    keys: ['arrowleft', 'arrowright', 'arrowup', 'arrowdown'],
    keyHint: 'arrows',
    enabled: (c) => !c.arrowsTaken(),
    perform: (c) => c.focusGrid(),
  },
];
