// Duplicates: one cluster at a time (representative first), per-member decisions, a threshold slider, clusters left.
import { useEffect, useState } from 'react';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../../src-shared/defaults';
import { useApi, useApiMutation, useTransport } from '../../app/api-context';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';

export function DuplicatesView() {
  const { mediaUrl } = useTransport();
  const [threshold, setThreshold] = useState<number | null>(null);
  const clusters = useApi('duplicates.clusters', { ...(threshold === null ? {} : { threshold }), limit: 2 });
  const decide = useApiMutation('duplicates.decide');
  const data = clusters.data;
  const shownThreshold = threshold ?? data?.threshold ?? DEFAULT_DUPLICATE_THRESHOLD;
  const cluster = data?.clusters[0];
  const next = data?.clusters[1];
  const [cursor, setCursor] = useState(1);
  const ordered = cluster
    ? [...cluster.members].sort((a, b) =>
        a.imageId === cluster.representative ? -1 : b.imageId === cluster.representative ? 1 : a.distance - b.distance,
      )
    : [];
  const target = ordered[Math.min(cursor, ordered.length - 1)];
  const { mutate } = decide;
  useEffect(() => {
    if (!cluster) return;
    // Keys: ←/→ choose a member, K keep, N not a duplicate, R representative, M merge with next, Enter done.
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (el && ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON'].includes(el.tagName))) return;
      const member = target && target.imageId !== cluster.representative ? target : undefined;
      const key = e.key.toLowerCase();
      if (key === 'arrowright') setCursor((c) => Math.min(ordered.length - 1, c + 1));
      else if (key === 'arrowleft') setCursor((c) => Math.max(1, c - 1));
      else if (key === 'enter') mutate({ action: 'resolve', imageId: cluster.representative });
      else if (key === 'm' && next) mutate({ action: 'merge', imageA: cluster.representative, imageB: next.representative });
      else if (key === 'k' && member) mutate({ action: 'keep', imageId: member.imageId });
      else if (key === 'n' && member) mutate({ action: 'not_duplicate', imageA: cluster.representative, imageB: member.imageId });
      else if (key === 'r' && member) mutate({ action: 'set_representative', imageId: member.imageId });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cluster, next, target, ordered.length, mutate]);

  return (
    <div className="duplicates-view">
      <div className="row toolbar">
        <label>
          Threshold <b data-testid="threshold-value">{shownThreshold}</b>
          <input
            type="range"
            aria-label="Duplicate threshold"
            min={0}
            max={32}
            value={shownThreshold}
            onChange={(e) => setThreshold(Number(e.target.value))}
          />
        </label>
        <span className="hint">←/→ member · K keep · N not a duplicate · R representative · M merge · Enter done</span>
        <span data-testid="clusters-left">{data ? `${data.unresolved} cluster${data.unresolved === 1 ? '' : 's'} left` : ''}</span>
        {cluster ? (
          <>
            <button type="button" className="primary" onClick={() => decide.mutate({ action: 'resolve', imageId: cluster.representative })}>
              Done with this cluster
            </button>
            {next ? (
              <button
                type="button"
                onClick={() => decide.mutate({ action: 'merge', imageA: cluster.representative, imageB: next.representative })}
              >
                Merge with next cluster
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      <ErrorNote error={clusters.error} title="Clusters unavailable" />
      <ErrorNote error={decide.error} title="Decision not saved" />
      {data && !cluster ? (
        <EmptyState title="No duplicate clusters left">
          At this threshold every near-duplicate group has been reviewed. Raise the threshold to look for looser matches.
        </EmptyState>
      ) : null}
      {cluster ? (
        <div className="cluster-grid" aria-label={`Cluster ${cluster.id}`}>
          {ordered.map((m) => {
            const isRep = m.imageId === cluster.representative;
            return (
              <figure
                key={m.imageId}
                className={`member${isRep ? ' representative' : ''}${m.decision === 'keep' ? ' kept' : ''}${m === target && !isRep ? ' cursor' : ''}`}
                data-image-id={m.imageId}
              >
                <img src={mediaUrl(m.thumbPath)} alt={`image ${m.imageId}`} width={150} height={150} />
                <figcaption>
                  {isRep ? <b>representative</b> : <span>distance {m.distance}</span>}
                  <span>
                    q{Math.round(m.quality)} · {m.width}×{m.height}
                  </span>
                  <span className="path" title={m.paths.join('\n')}>
                    {m.paths[0]?.split(/[\\/]/).pop()}
                  </span>
                  {m.decision === 'keep' ? <span className="badge">kept</span> : null}
                  {!isRep ? (
                    <span className="member-actions">
                      <button type="button" onClick={() => decide.mutate({ action: 'keep', imageId: m.imageId })}>
                        Keep
                      </button>
                      <button
                        type="button"
                        onClick={() => decide.mutate({ action: 'not_duplicate', imageA: cluster.representative, imageB: m.imageId })}
                      >
                        Not a duplicate
                      </button>
                      <button type="button" onClick={() => decide.mutate({ action: 'set_representative', imageId: m.imageId })}>
                        Make representative
                      </button>
                    </span>
                  ) : null}
                </figcaption>
              </figure>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
