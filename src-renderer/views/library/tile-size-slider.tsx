// The tile-size slider of the library grid (150-400 px); the store remembers the choice.
import { useLibraryStore } from '../../state/library-store';
import { TILE_SIZE_MAX, TILE_SIZE_MIN, TILE_SIZE_STEP } from '../../state/tile-size';

export function TileSizeSlider() {
  const size = useLibraryStore((s) => s.tileSize);
  const setSize = useLibraryStore((s) => s.setTileSize);
  return (
    <label className="tile-size">
      Tile size
      <input
        type="range"
        aria-label="Tile size"
        min={TILE_SIZE_MIN}
        max={TILE_SIZE_MAX}
        step={TILE_SIZE_STEP}
        value={size}
        onChange={(e) => setSize(Number(e.target.value))}
      />
      <output data-testid="tile-size-value">{size} px</output>
    </label>
  );
}
