// The library's tile size: bounds, the derivative a tile of that size needs, and where the choice is remembered.
import type { ImageSummary } from '../../src-shared/model';
import { DERIVATIVE_SIZES } from '../../src-shared/defaults';

export const TILE_SIZE_MIN = 150;
export const TILE_SIZE_MAX = 400;
export const TILE_SIZE_STEP = 10;
export const TILE_SIZE_DEFAULT = 150;
/** Space around a tile in its grid cell. */
export const TILE_GAP = 14;
const STORAGE_KEY = 'sporeprint.library.tileSize';

/** The window's localStorage; none outside a browser (Node's own is behind a flag and may be a bare object). */
function browserStorage(): Storage | undefined {
  const storage = typeof window === 'undefined' ? undefined : window.localStorage;
  return typeof storage?.getItem === 'function' ? storage : undefined;
}

export function clampTileSize(size: number): number {
  if (!Number.isFinite(size)) return TILE_SIZE_DEFAULT;
  return Math.round(Math.max(TILE_SIZE_MIN, Math.min(TILE_SIZE_MAX, size)));
}

/** The size remembered from an earlier session (per browser profile or app), else the default. */
export function rememberedTileSize(storage: Pick<Storage, 'getItem'> | undefined = browserStorage()): number {
  const stored = storage?.getItem(STORAGE_KEY);
  return stored ? clampTileSize(Number(stored)) : TILE_SIZE_DEFAULT;
}

export function rememberTileSize(size: number, storage: Pick<Storage, 'setItem'> | undefined = browserStorage()): void {
  storage?.setItem(STORAGE_KEY, String(size));
}

/**
 * The smallest derivative that fills a tile of `size` CSS pixels on this screen without enlarging: the 150 px
 * thumbnail for the default grid, so a 100k library still loads thumbnails only.
 */
export function tileImagePath(item: Pick<ImageSummary, 'thumbPath' | 'smallPath' | 'mediumPath'>, size: number, pixelRatio = 1): string {
  const needed = size * pixelRatio;
  if (needed <= DERIVATIVE_SIZES.thumb) return item.thumbPath;
  if (needed <= DERIVATIVE_SIZES.small) return item.smallPath;
  return item.mediumPath;
}
