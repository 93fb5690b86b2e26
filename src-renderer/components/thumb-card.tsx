// One thumbnail tile: the 150px derivative (or a larger one), label state, taxon, an optional score and flags; selectable.
import type { MouseEvent, ReactNode } from 'react';
import { useTransport } from '../app/api-context';
import { formatLabelState } from './format';

export interface ThumbItem {
  id: number;
  thumbPath: string;
  taxon: string | null;
  labelState: string | null;
  qualityScore: number;
  score?: number;
  isHq?: boolean;
}

export function ThumbCard({
  item,
  selected,
  onClick,
  onOpen,
  imagePath,
  flags,
}: {
  item: ThumbItem;
  /** A derivative other than the thumbnail, for tiles larger than 150 px. */
  imagePath?: string;
  /** Badges under the HQ badge (duplicate cluster, missing licence). */
  flags?: ReactNode;
  selected?: boolean;
  onClick?: (event: MouseEvent) => void;
  onOpen?: () => void;
}) {
  const { mediaUrl } = useTransport();
  return (
    <button
      type="button"
      className={`thumb${selected ? ' selected' : ''}`}
      data-image-id={item.id}
      aria-pressed={selected}
      onClick={onClick}
      onDoubleClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && onOpen) onOpen();
      }}
    >
      <img
        src={mediaUrl(imagePath ?? item.thumbPath)}
        alt={item.taxon ?? `image ${item.id}`}
        loading="lazy"
        decoding="async"
        width={150}
        height={150}
      />
      <span className={`badge state-${item.labelState ?? 'none'}`}>{formatLabelState(item.labelState)}</span>
      {item.isHq ? (
        <span className="badge hq" data-badge="hq" title="High quality: long edge and score above the HQ cut-offs">
          HQ
        </span>
      ) : null}
      {flags ? <span className="thumb-flags">{flags}</span> : null}
      <span className="thumb-caption">
        <span className="taxon">{item.taxon ?? '—'}</span>
        <span className="quality">{item.score !== undefined ? item.score.toFixed(3) : `q${Math.round(item.qualityScore)}`}</span>
      </span>
    </button>
  );
}
