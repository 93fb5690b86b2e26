// Diagnostics (Help > Diagnostics): the doctor's checks as the running app sees them, each problem with its fix.
import { DOCTOR_SECTIONS, type DoctorCheck } from '../../../src-shared/api/doctor';
import { useApi } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';

const STATUS_LABEL: Record<DoctorCheck['status'], string> = { ok: 'ok', warn: 'warning', error: 'error', skipped: 'not checked' };

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function DiagnosticsView() {
  const report = useApi('diagnostics.get', {}, { staleTime: Infinity });
  if (report.error) return <ErrorNote error={report.error} title="Diagnostics failed" />;
  const r = report.data;
  return (
    <div className="diagnostics-view">
      <div className="row">
        <button type="button" onClick={() => void report.refetch()} disabled={report.isFetching}>
          {report.isFetching ? 'Checking…' : 'Check again'}
        </button>
        {r ? (
          <span className="hint" role="status">
            {r.errors + r.warnings === 0 ? 'no problems found' : `${count(r.errors, 'error')}, ${count(r.warnings, 'warning')}`} · library{' '}
            {r.library}
          </span>
        ) : null}
      </div>
      {!r ? <p className="loading">checking…</p> : null}
      {r
        ? DOCTOR_SECTIONS.map((section) => {
            const checks = r.checks.filter((c) => c.section === section);
            if (checks.length === 0) return null;
            return (
              <section key={section} className="panel" aria-label={section}>
                <h2>{section}</h2>
                <table className="meta diagnostics">
                  <tbody>
                    {checks.map((c, i) => (
                      <tr key={`${c.name}-${i}`} className={`check-${c.status}`}>
                        <td className="check-status">{STATUS_LABEL[c.status]}</td>
                        <th scope="row">{c.name}</th>
                        <td>
                          {c.detail}
                          {c.fix ? (
                            <div className="check-fix">
                              fix: <code>{c.fix}</code>
                            </div>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })
        : null}
    </div>
  );
}
