// The detail view's side panel for one image: actions, metadata (long values wrap, with a copy button), licence,
// quality, suggestions, locations and label history. Mounted per image, so an error shown for one image never
// stays on the next.
import type { ImageDetail } from '../../../src-shared/model';
import { useApiMutation } from '../../app/api-context';
import { CopyValue } from '../../components/copy-value';
import { ErrorNote } from '../../components/error-note';
import { FindHqOutcome, useFindHqImages } from '../../components/find-hq-images';
import { formatBytes, formatLabelState } from '../../components/format';
import { LicenseEditor } from '../../components/license-editor';
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

/** Rows whose values are long enough to need wrapping and a copy button. */
const COPYABLE = new Set(['Attribution', 'Source', 'SHA-256', 'pHash']);

export function DetailSide({ d }: { d: ImageDetail }) {
  const go = useRoute((s) => s.go);
  const setLabel = useApiMutation('labels.set');
  const findHq = useFindHqImages();
  const taxon = d.taxon;
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
    <aside className="detail-side">
      <div className="row">
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
              <td data-row={k}>{COPYABLE.has(k) && v !== '—' ? <CopyValue value={v} label={k} /> : v}</td>
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
          <li key={l.id}>
            <CopyValue value={l.path} label="path" />
          </li>
        ))}
      </ul>
      <h3>Label history</h3>
      {d.history.length === 0 ? <p className="hint">No label events yet.</p> : null}
      <ol className="history" aria-label="Label history">
        {d.history.map((e) => (
          <li key={e.id}>
            <time>{e.at}</time> {e.action} {e.fromTaxon !== e.toTaxon ? `${e.fromTaxon ?? '—'} → ${e.toTaxon ?? '—'}` : (e.toTaxon ?? '')} (
            {formatLabelState(e.fromState)} → {formatLabelState(e.toState)}){e.author ? ` by ${e.author}` : ''}
          </li>
        ))}
      </ol>
    </aside>
  );
}
