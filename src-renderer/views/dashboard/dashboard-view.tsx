// Dashboard: quality distribution, label states, images per taxon (long tail), HQ share, duplicates, taxa lacking HQ images.
import { useApi, useTransport } from '../../app/api-context';
import { BarChart } from '../../components/bar-chart';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { formatLabelState } from '../../components/format';
import { MissingHqSection } from './missing-hq-section';

export function DashboardView() {
  const stats = useApi('stats.get', {});
  const { kind } = useTransport();
  if (stats.error) return <ErrorNote error={stats.error} title="Statistics unavailable" />;
  const s = stats.data;
  if (!s) return <p className="loading">loading…</p>;
  if (s.images === 0) return <EmptyState title="Nothing to chart yet">Import photographs and the charts fill in.</EmptyState>;
  const hqShare = s.images > 0 ? (s.hq / s.images) * 100 : 0;
  const taxa = [...s.taxa].sort((a, b) => b.images - a.images);
  return (
    <div className="dashboard-view">
      <div className="tiles">
        <div className="tile">
          <b>{s.images}</b> images
        </div>
        <div className="tile">
          <b>{hqShare.toFixed(0)}%</b> HQ ({s.hq})
        </div>
        <div className="tile">
          <b>{s.taxa.length}</b> taxa
        </div>
        <div className="tile">
          <b>{s.duplicateImages}</b> duplicates in {s.duplicateClusters} clusters
        </div>
        <div className="tile">
          <b>{Object.values(s.rejected).reduce((a, b) => a + b, 0)}</b> rejected
        </div>
        {Object.keys(s.failed).length > 0 && (
          <div className="tile" title="Not rejections: the next import tries these files again">
            <b>{Object.values(s.failed).reduce((a, b) => a + b, 0)}</b> to retry (
            {Object.entries(s.failed)
              .map(([reason, n]) => `${reason} ${n}`)
              .join(', ')}
            )
          </div>
        )}
        {s.derivativesUnrecoverable > 0 && (
          <div className="tile" title="Thumbnails are missing and the original photo is gone">
            <b>{s.derivativesUnrecoverable}</b> without thumbnails
          </div>
        )}
        <div className="tile small">via {kind === 'ipc' ? 'desktop' : 'browser'}</div>
      </div>
      <div className="charts">
        <BarChart title="Quality distribution" bars={s.qualityHistogram.map((value, i) => ({ label: `${i * 10}`, value }))} />
        <BarChart
          title="Label states"
          bars={Object.entries(s.labelStates).map(([label, value]) => ({
            label: formatLabelState(label === 'unlabelled' ? null : label),
            value,
          }))}
        />
        <BarChart
          title="HQ share"
          bars={[
            { label: 'HQ', value: s.hq },
            { label: 'other', value: s.images - s.hq },
          ]}
        />
        <BarChart
          title="Duplicates"
          bars={[
            { label: 'in clusters', value: s.duplicateImages },
            { label: 'unique', value: Math.max(0, s.images - s.duplicateImages) },
          ]}
        />
        <BarChart
          title={`Images per taxon (top ${Math.min(30, taxa.length)} of ${taxa.length})`}
          vertical={false}
          bars={taxa.slice(0, 30).map((t) => ({ label: t.taxon, value: t.images }))}
        />
      </div>
      <MissingHqSection />
    </div>
  );
}
