// Every member of the cluster under review as a small picture; the current one is marked, a click selects it.
import type { DuplicateCluster } from '../../../src-shared/model';
import { useTransport } from '../../app/api-context';

export function MemberStrip({
  cluster,
  currentId,
  onSelect,
}: {
  cluster: DuplicateCluster;
  currentId: number | null;
  onSelect: (imageId: number) => void;
}) {
  const { mediaUrl } = useTransport();
  return (
    <div className="member-strip" aria-label="Cluster members">
      {cluster.members.map((m) => {
        const isRep = m.imageId === cluster.representative;
        return (
          <button
            type="button"
            key={m.imageId}
            className={`strip-item${isRep ? ' representative' : ''}${m.imageId === currentId ? ' current' : ''}${m.decision === 'keep' ? ' kept' : ''}`}
            data-image-id={m.imageId}
            aria-pressed={m.imageId === currentId}
            disabled={isRep}
            title={
              isRep
                ? 'representative'
                : `distance ${m.distance}${m.linkedVia != null ? ` · linked via #${m.linkedVia}` : ''}${m.taxon ? ` · ${m.taxon}` : ''}`
            }
            onClick={() => onSelect(m.imageId)}
          >
            <img src={mediaUrl(m.thumbPath)} alt={`image ${m.imageId}`} width={72} height={72} />
            <span>{isRep ? 'rep' : m.decision === 'keep' ? 'kept' : m.linkedVia != null ? `via #${m.linkedVia}` : `d${m.distance}`}</span>
          </button>
        );
      })}
    </div>
  );
}
