// The Sync view's lists: fields curators disagree on (as of the last sync), the ones resolved, and who decided what.
import type { SyncConflict, SyncDecision, SyncResolution } from '../../../src-shared/api/sync';
import { useApiMutation } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { TakeClaim } from './take-claim';

const shortClient = (client: string) => (client === 'this library' || client === 'server' ? client : `client ${client.slice(0, 8)}`);

/** `url`: the one typed in the Sync form, if any; otherwise the server resolves against the last sync's target. */
export function SyncConflicts({ conflicts, url }: { conflicts: SyncConflict[]; url?: string }) {
  const resolve = useApiMutation('sync.resolve');
  return (
    <section className="panel" aria-label="Conflicting claims">
      <h2>Conflicting claims ({conflicts.length})</h2>
      {conflicts.length === 0 ? (
        <p className="muted">No curator claims a different licence, credit, source or duplicate for these images.</p>
      ) : (
        <table className="meta">
          <thead>
            <tr>
              <th>Image</th>
              <th>Field</th>
              <th>Shown (first claim)</th>
              <th>Claims</th>
            </tr>
          </thead>
          <tbody>
            {conflicts.map((c) => (
              <tr key={`${c.imageId}-${c.field}`}>
                <td>{c.imageId}</td>
                <td>{c.field}</td>
                <td>{c.shown ?? '—'}</td>
                <td>
                  <ul className="claims">
                    {c.claims.map((k) => (
                      <TakeClaim
                        key={k.client}
                        conflict={c}
                        claim={k}
                        label={`${k.value} (${k.author ?? 'unknown curator'}, ${shortClient(k.client)})`}
                        busy={resolve.isPending}
                        onTake={(r) => resolve.mutate({ ...(url ? { url } : {}), image: r.imageId, field: r.field, take: r.client })}
                      />
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={resolve.error} title="Conflict not resolved" />
    </section>
  );
}

/** Conflicts a curator settled (Take this value, or `sporeprint sync resolve`): the value shown since, and who chose it. */
export function SyncResolutions({ resolutions }: { resolutions: SyncResolution[] }) {
  if (resolutions.length === 0) return null;
  return (
    <section className="panel" aria-label="Resolved conflicts">
      <h2>Resolved conflicts ({resolutions.length})</h2>
      <table className="meta">
        <thead>
          <tr>
            <th>Image</th>
            <th>Field</th>
            <th>Shown</th>
            <th>Chosen by</th>
            <th>When</th>
          </tr>
        </thead>
        <tbody>
          {resolutions.map((r) => (
            <tr key={`${r.imageId}-${r.field}`}>
              <td>{r.imageId}</td>
              <td>{r.field}</td>
              <td>{r.value ?? '—'}</td>
              <td>
                {r.author ?? 'unknown curator'}, {shortClient(r.client)}
              </td>
              <td>{r.resolvedAt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function SyncDecisions({ decisions }: { decisions: SyncDecision[] }) {
  return (
    <section className="panel" aria-label="Who decided what">
      <h2>Who decided what</h2>
      {decisions.length === 0 ? (
        <p className="muted">No decisions yet.</p>
      ) : (
        <table className="meta">
          <thead>
            <tr>
              <th>When</th>
              <th>Image</th>
              <th>Decision</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d, n) => (
              <tr key={n}>
                <td>{d.at}</td>
                <td>{d.imageId}</td>
                <td>
                  {d.action} {d.taxon ?? '—'} ({d.state ?? 'no label'})
                </td>
                <td>
                  {d.author ?? 'unknown curator'}, {shortClient(d.client)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
