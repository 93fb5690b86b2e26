// Image detail: large derivative, metadata and EXIF, quality breakdown, licence and attribution, label history.
import { useEffect } from 'react';
import { useApi, useApiMutation, useTransport } from '../../app/api-context';
import { EmptyState } from '../../components/empty-state';
import { LicenseEditor } from '../../components/license-editor';
import { ErrorNote } from '../../components/error-note';
import { FindHqOutcome, useFindHqImages } from '../../components/find-hq-images';
import { formatBytes, formatLabelState } from '../../components/format';
import { useRoute } from '../../state/route-store';

function Meter({ label, value }: { label: string; value: number }) {
  const percent = Math.round(Math.max(0, Math.min(1, value > 1 ? value / 100 : value)) * 100);
  return (
    <div className="meter">
      <span>{label}</span>
      <div className="bar">
        <div className="bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <span>{percent}</span>
    </div>
  );
}

export function DetailView() {
  const imageId = useRoute((s) => s.imageId);
  const go = useRoute((s) => s.go);
  const { mediaUrl } = useTransport();
  const image = useApi('images.get', { id: imageId ?? 1 }, { enabled: imageId !== null });
  const setLabel = useApiMutation('labels.set');
  const findHq = useFindHqImages();
  useEffect(() => {
    // Escape returns to the grid, where focus and scroll position were kept.
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key === 'Escape' && target?.tagName !== 'INPUT') go('library');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);
  if (imageId === null) return <EmptyState title="No image open">Open one from the Library (double-click or Enter).</EmptyState>;
  if (image.error) return <ErrorNote error={image.error} title={`Image ${imageId}`} />;
  const d = image.data;
  if (!d) return <p className="loading">loading…</p>;
  const taxon = d.taxon;
  const large = d.derivatives['large.jpeg'] ?? d.derivatives.large ?? Object.values(d.derivatives).pop() ?? d.thumbPath;
  const rows: [string, string][] = [
    ['Taxon', d.taxon ?? '—'],
    ['Label', `${formatLabelState(d.labelState)}${d.label?.author ? ` by ${d.label.author}` : ''}`],
    ['Size', `${d.width} × ${d.height}, ${d.format}, ${formatBytes(d.fileSize)}`],
    ['Quality', `${d.qualityScore.toFixed(1)}${d.isHq ? ' (HQ)' : ''}`],
    ['Licence', d.license ?? 'unknown'],
    ['Attribution', d.attribution ?? '—'],
    ['Source', d.sourceUrl ?? '—'],
    ['Captured', d.exif.capturedAt ?? '—'],
    ['Camera', [d.exif.cameraMake, d.exif.cameraModel].filter(Boolean).join(' ') || '—'],
    ['GPS', d.exif.gpsLat !== null && d.exif.gpsLon !== null ? `${d.exif.gpsLat.toFixed(5)}, ${d.exif.gpsLon.toFixed(5)}` : '—'],
    ['SHA-256', d.sha256],
    ['pHash', d.phash],
    ['Duplicate cluster', d.clusterId === null ? 'none' : `#${d.clusterId}`],
  ];
  return (
    <div className="detail-view">
      <div className="detail-image">
        <img src={mediaUrl(large)} alt={d.taxon ?? `image ${d.id}`} />
      </div>
      <aside className="detail-side">
        <div className="row">
          <button type="button" onClick={() => go('library')}>
            ← Library (Esc)
          </button>
          <button type="button" onClick={() => setLabel.mutate({ imageIds: [d.id], state: 'human_verified' })}>
            Verify
          </button>
          <button type="button" onClick={() => setLabel.mutate({ imageIds: [d.id], state: 'disputed' })}>
            Dispute
          </button>
          <button type="button" onClick={() => go('search', d.id)}>
            Find similar
          </button>
        </div>
        <ErrorNote error={setLabel.error} title="Labelling failed" />
        {taxon ? (
          <div className="row">
            <button type="button" disabled={findHq.running} onClick={() => findHq.find({ taxa: [taxon] })}>
              Find HQ images of {taxon}
            </button>
          </div>
        ) : null}
        <FindHqOutcome state={findHq} />
        <h2 data-testid="detail-taxon">{d.taxon ?? 'Unlabelled'}</h2>
        <p data-testid="detail-state" className={`state-${d.labelState ?? 'none'}`}>
          {formatLabelState(d.labelState)}
        </p>
        <table className="meta">
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Licence and credit</h3>
        <LicenseEditor key={d.id} imageIds={[d.id]} current={{ license: d.license, attribution: d.attribution }} />
        <h3>Quality</h3>
        <Meter label="resolution" value={d.quality.resolution} />
        <Meter label="sharpness" value={d.quality.sharpness} />
        <Meter label="noise" value={d.quality.noise} />
        <Meter label="colour" value={d.quality.colour} />
        <Meter label="compression artefacts (100 = none)" value={d.quality.artefacts} />
        <p className="hint" aria-label="Quality formula">
          0.3 resolution + 0.3 sharpness + 0.2 min(noise, artefacts) + 0.2 colour = {d.qualityScore.toFixed(1)}
        </p>
        {d.suggestions.length > 0 ? (
          <>
            <h3>Model suggestions</h3>
            <ul>
              {d.suggestions.map((s) => (
                <li key={`${s.modelId}-${s.taxon}`}>
                  {s.taxon} <span className="score">{s.score.toFixed(3)}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h3>Locations</h3>
        <ul className="paths">
          {d.locations.map((l) => (
            <li key={l.id}>{l.path}</li>
          ))}
        </ul>
        <h3>Label history</h3>
        {d.history.length === 0 ? <p className="hint">No label events yet.</p> : null}
        <ol className="history" aria-label="Label history">
          {d.history.map((e) => (
            <li key={e.id}>
              <time>{e.at}</time> {e.action} {e.fromTaxon !== e.toTaxon ? `${e.fromTaxon ?? '—'} → ${e.toTaxon ?? '—'}` : (e.toTaxon ?? '')}{' '}
              ({formatLabelState(e.fromState)} → {formatLabelState(e.toState)}){e.author ? ` by ${e.author}` : ''}
            </li>
          ))}
        </ol>
      </aside>
    </div>
  );
}
