// Merge only with a cluster the user can see: pick one, see both clusters' pictures and taxa, confirm.
import { useState } from 'react';
import type { DuplicateCluster } from '../../../src-shared/model';
import { useTransport } from '../../app/api-context';

export function taxaOf(cluster: DuplicateCluster): string[] {
  return [...new Set(cluster.members.map((m) => m.taxon ?? 'no taxon'))].sort();
}

/** A sentence when the two clusters' taxa differ (merging says the pictures are one photograph), else null. */
export function taxaWarning(a: DuplicateCluster, b: DuplicateCluster): string | null {
  const ta = taxaOf(a);
  const tb = taxaOf(b);
  if (ta.join('|') === tb.join('|')) return null;
  return `Taxa differ: ${ta.join(', ')} here, ${tb.join(', ')} there. Merging says these are copies of one photograph.`;
}

function ClusterPictures({ cluster, title }: { cluster: DuplicateCluster; title: string }) {
  const { mediaUrl } = useTransport();
  return (
    <figure className="merge-side">
      <figcaption>
        {title}: {cluster.members.length} pictures · <i>{taxaOf(cluster).join(', ')}</i>
      </figcaption>
      <div className="merge-pictures">
        {cluster.members.slice(0, 8).map((m) => (
          <img
            key={m.imageId}
            src={mediaUrl(m.thumbPath)}
            alt={`image ${m.imageId}`}
            width={96}
            height={96}
            title={m.taxon ?? 'no taxon'}
          />
        ))}
      </div>
    </figure>
  );
}

export function MergePicker({
  current,
  candidates,
  onMerge,
  onClose,
}: {
  current: DuplicateCluster;
  candidates: DuplicateCluster[];
  onMerge: (other: DuplicateCluster) => void;
  onClose: () => void;
}) {
  const { mediaUrl } = useTransport();
  const others = candidates.filter((c) => !c.members.some((m) => m.imageId === current.representative));
  const [chosenId, setChosenId] = useState<number | null>(null);
  const chosen = others.find((c) => c.id === chosenId) ?? null;
  const warning = chosen ? taxaWarning(current, chosen) : null;
  return (
    <div className="merge-picker" role="dialog" aria-label="Merge with another cluster">
      <div className="row">
        <strong>Merge this cluster with…</strong>
        <button type="button" onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
      {others.length === 0 ? <p className="hint">No other unresolved cluster to merge with.</p> : null}
      <div className="merge-candidates">
        {others.map((c) => {
          const rep = c.members[0]!;
          return (
            <button
              type="button"
              key={c.id}
              className={`merge-candidate${c.id === chosenId ? ' selected' : ''}`}
              aria-pressed={c.id === chosenId}
              data-cluster-id={c.id}
              onClick={() => setChosenId(c.id)}
            >
              <img src={mediaUrl(rep.thumbPath)} alt={`cluster ${c.id}`} width={72} height={72} />
              <span>
                <i>{taxaOf(c).join(', ')}</i> · {c.members.length}
              </span>
            </button>
          );
        })}
      </div>
      {chosen ? (
        <div className="merge-compare">
          <ClusterPictures cluster={current} title="This cluster" />
          <ClusterPictures cluster={chosen} title="Chosen cluster" />
          {warning ? (
            <div className="warning-note" role="alert" data-testid="merge-taxa-warning">
              {warning}
            </div>
          ) : null}
          <button type="button" className={warning ? 'danger' : 'primary'} onClick={() => onMerge(chosen)}>
            {warning ? 'Merge anyway' : 'Merge the two clusters'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
