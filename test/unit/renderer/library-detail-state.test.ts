// The Library's tile size (bounds, memory, the rendition a tile needs), its sort directions and filter patches, and
// the Library and Detail action tables (which key runs what, and when a key is let through).
import { beforeEach, describe, expect, it } from 'vitest';
import { actionForKey } from '../../../src-renderer/app/actions';
import { useLibraryStore } from '../../../src-renderer/state/library-store';
import {
  clampTileSize,
  rememberedTileSize,
  rememberTileSize,
  tileImagePath,
  TILE_SIZE_DEFAULT,
} from '../../../src-renderer/state/tile-size';
import { DETAIL_ACTIONS, type DetailContext } from '../../../src-renderer/views/detail/detail-actions';
import { LIBRARY_ACTIONS, type LibraryContext } from '../../../src-renderer/views/library/library-actions';

function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (k) => values.get(k) ?? null,
    key: (i) => [...values.keys()][i] ?? null,
    removeItem: (k) => void values.delete(k),
    setItem: (k, v) => void values.set(k, v),
  };
}

const press = (key: string, target: EventTarget | null = null) => ({ key, ctrlKey: false, metaKey: false, altKey: false, target });

describe('tile size', () => {
  it('keeps sizes within 150-400 px and falls back to the default for junk', () => {
    expect(clampTileSize(90)).toBe(150);
    expect(clampTileSize(1000)).toBe(400);
    expect(clampTileSize(233.4)).toBe(233);
    expect(clampTileSize(Number.NaN)).toBe(TILE_SIZE_DEFAULT);
  });

  it('remembers a size in storage and reads it back clamped', () => {
    const storage = memoryStorage();
    expect(rememberedTileSize(storage)).toBe(TILE_SIZE_DEFAULT);
    rememberTileSize(280, storage);
    expect(rememberedTileSize(storage)).toBe(280);
    storage.setItem('sporeprint.library.tileSize', '9999');
    expect(rememberedTileSize(storage)).toBe(400);
    storage.setItem('sporeprint.library.tileSize', 'big');
    expect(rememberedTileSize(storage)).toBe(TILE_SIZE_DEFAULT);
  });

  it('picks the smallest rendition that fills the tile on this screen', () => {
    const item = { thumbPath: 't.jpg', smallPath: 's.jpg', mediumPath: 'm.jpg' };
    expect(tileImagePath(item, 150)).toBe('t.jpg');
    expect(tileImagePath(item, 151)).toBe('s.jpg');
    expect(tileImagePath(item, 320)).toBe('s.jpg');
    expect(tileImagePath(item, 400)).toBe('m.jpg');
    expect(tileImagePath(item, 150, 2)).toBe('s.jpg');
    expect(tileImagePath(item, 200, 2)).toBe('m.jpg');
  });

  it('is set through the store within its bounds', () => {
    useLibraryStore.getState().setTileSize(1200);
    expect(useLibraryStore.getState().tileSize).toBe(400);
    useLibraryStore.getState().setTileSize(TILE_SIZE_DEFAULT);
    expect(useLibraryStore.getState().tileSize).toBe(TILE_SIZE_DEFAULT);
  });
});

describe('library sort and filters', () => {
  beforeEach(() => useLibraryStore.getState().resetFilters());

  it('starts the taxon sort A-Z and the others largest or newest first', () => {
    const s = () => useLibraryStore.getState();
    s().setSort('taxon');
    expect(s().filters).toMatchObject({ sort: 'taxon', order: 'asc' });
    s().setSort('quality');
    expect(s().filters).toMatchObject({ sort: 'quality', order: 'desc' });
    s().setSort('created');
    expect(s().filters).toMatchObject({ sort: 'created', order: 'desc' });
  });

  it('applies a patch of filters at once, removing the undefined ones, and Reset clears them all', () => {
    const s = () => useLibraryStore.getState();
    s().setFilters({ license: 'CC0-1.0', taxon: 'Amanita' });
    s().select(3, 'one');
    s().setFilters({ license: undefined, hasLicense: false });
    expect(s().filters).toEqual({ sort: 'created', order: 'desc', taxon: 'Amanita', hasLicense: false });
    expect(s().selected.size).toBe(0);
    s().resetFilters();
    expect(s().filters).toEqual({ sort: 'created', order: 'desc' });
  });
});

describe('library keys', () => {
  const calls: string[] = [];
  const ctx = (over: Partial<LibraryContext> = {}): LibraryContext => ({
    selectedCount: 2,
    tileSize: 200,
    clearSelection: () => calls.push('clear'),
    setTileSize: (n) => calls.push(`size ${n}`),
    arrowsTaken: () => false,
    focusGrid: () => calls.push('focus grid'),
    ...over,
  });
  beforeEach(() => void calls.splice(0));

  it('maps Escape, + and - and the arrows', () => {
    for (const key of ['Escape', '+', '=', '-', 'ArrowDown']) actionForKey(LIBRARY_ACTIONS, ctx(), press(key))?.perform(ctx());
    expect(calls).toEqual(['clear', 'size 250', 'size 250', 'size 150', 'focus grid']);
  });

  it('lets keys through when there is nothing to do or the grid or a slider has the arrows', () => {
    expect(actionForKey(LIBRARY_ACTIONS, ctx({ selectedCount: 0 }), press('Escape'))).toBeNull();
    expect(actionForKey(LIBRARY_ACTIONS, ctx({ arrowsTaken: () => true }), press('ArrowLeft'))).toBeNull();
    expect(actionForKey(LIBRARY_ACTIONS, ctx(), { ...press('+'), ctrlKey: true })).toBeNull();
  });
});

describe('detail keys', () => {
  const opened: (number | string)[] = [];
  const ctx = (over: Partial<DetailContext> = {}): DetailContext => ({
    previous: 4,
    next: 9,
    zoom: 'fit',
    open: (id) => opened.push(id),
    setZoom: (z) => opened.push(z),
    back: () => opened.push('library'),
    ...over,
  });
  beforeEach(() => void opened.splice(0));

  it('steps with the arrows, zooms with Z and goes back with Escape', () => {
    for (const key of ['ArrowLeft', 'ArrowRight', 'z', 'Escape']) actionForKey(DETAIL_ACTIONS, ctx(), press(key))?.perform(ctx());
    actionForKey(DETAIL_ACTIONS, ctx({ zoom: 'actual' }), press('Z'))?.perform(ctx({ zoom: 'actual' }));
    expect(opened).toEqual([4, 9, 'actual', 'library', 'fit']);
  });

  it('does nothing at either end of the list', () => {
    expect(actionForKey(DETAIL_ACTIONS, ctx({ previous: null }), press('ArrowLeft'))).toBeNull();
    expect(actionForKey(DETAIL_ACTIONS, ctx({ next: null }), press('ArrowRight'))).toBeNull();
  });
});
