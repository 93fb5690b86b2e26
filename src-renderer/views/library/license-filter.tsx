// The licence filter: the licences present in the catalogue with their counts, and "no licence", to pick from.
import { useApi } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { useLibraryStore } from '../../state/library-store';

const NONE = 'none';

export function LicenseFilter() {
  const license = useLibraryStore((s) => s.filters.license);
  const hasLicense = useLibraryStore((s) => s.filters.hasLicense);
  const setFilters = useLibraryStore((s) => s.setFilters);
  const counts = useApi('images.licenses', {});
  const listed = counts.data?.licenses ?? [];
  const value = hasLicense === false ? NONE : (license ?? '');
  return (
    <label>
      Licence
      <select
        aria-label="Licence filter"
        value={value}
        onChange={(e) => {
          const picked = e.target.value;
          if (picked === NONE) setFilters({ license: undefined, hasLicense: false });
          else setFilters({ license: picked || undefined, hasLicense: undefined });
        }}
      >
        <option value="">any</option>
        {(counts.data?.missing ?? 0) > 0 || value === NONE ? <option value={NONE}>no licence ({counts.data?.missing ?? 0})</option> : null}
        {listed.map((l) => (
          <option key={l.license} value={l.license}>
            {l.license} ({l.images})
          </option>
        ))}
        {/* A licence chosen earlier that no image has any more stays visible, so the filter never hides itself. */}
        {license && !listed.some((l) => l.license === license) ? <option value={license}>{license} (0)</option> : null}
      </select>
      <ErrorNote error={counts.error} title="Licences unavailable" />
    </label>
  );
}
