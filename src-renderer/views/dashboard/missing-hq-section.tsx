// Dashboard section: the taxa short of HQ images, each with "Find HQ images", and one button for all of them.
import { useApi } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { FindHqOutcome, useFindHqImages } from '../../components/find-hq-images';

/** Enough rows to act on; the "for all" button covers the rest. */
const SHOWN = 100;

export function MissingHqSection() {
  const missing = useApi('sources.missingHq', {});
  const findHq = useFindHqImages();
  const rows = missing.data ?? [];
  return (
    <section className="panel missing-hq" aria-label="Taxa lacking HQ images">
      <div className="row">
        <h2>Taxa lacking HQ images</h2>
        {rows.length > 0 ? (
          <button type="button" disabled={findHq.running} onClick={() => findHq.find({ missingHq: true })}>
            Find HQ images for all
          </button>
        ) : null}
      </div>
      <ErrorNote error={missing.error} title="Taxa lacking HQ images unavailable" />
      {missing.isLoading ? <p className="loading">loading…</p> : null}
      {missing.data && rows.length === 0 ? <p className="hint">Every taxon has enough HQ images.</p> : null}
      {rows.length > 0 ? (
        <table className="meta">
          <thead>
            <tr>
              <th>Taxon</th>
              <th>HQ / images</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map((r) => (
              <tr key={r.taxon}>
                <td>{r.taxon}</td>
                <td>
                  {r.hq} / {r.images}
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Find HQ images of ${r.taxon}`}
                    disabled={findHq.running}
                    onClick={() => findHq.find({ taxa: [r.taxon] })}
                  >
                    Find HQ images
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {rows.length > SHOWN ? <p className="hint">and {rows.length - SHOWN} more taxa</p> : null}
      <FindHqOutcome state={findHq} />
    </section>
  );
}
