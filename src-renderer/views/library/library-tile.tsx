// A library tile: the thumbnail card at the chosen size, flagged for a duplicate cluster and a missing licence.
import type { MouseEvent } from 'react';
import type { ImageSummary } from '../../../src-shared/model';
import { ThumbCard } from '../../components/thumb-card';
import { tileImagePath } from '../../state/tile-size';

export function LibraryTile({
  item,
  size,
  selected,
  onClick,
  onOpen,
}: {
  item: ImageSummary;
  size: number;
  selected: boolean;
  onClick: (event: MouseEvent) => void;
  onOpen: () => void;
}) {
  const pixelRatio = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const flags = (
    <>
      {item.clusterId !== null ? (
        <span className="badge cluster" data-badge="cluster" title={`In duplicate cluster #${item.clusterId}: review it in Duplicates`}>
          dup #{item.clusterId}
        </span>
      ) : null}
      {item.license === null ? (
        <span className="badge no-license" data-badge="no-license" title="No licence: left out of exports until it has one">
          no licence
        </span>
      ) : null}
    </>
  );
  return (
    <ThumbCard
      item={item}
      imagePath={tileImagePath(item, size, pixelRatio)}
      selected={selected}
      onClick={onClick}
      onOpen={onOpen}
      flags={item.clusterId !== null || item.license === null ? flags : undefined}
    />
  );
}
