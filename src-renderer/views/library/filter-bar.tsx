// Filters and sort of the library grid: label state, taxon, quality range, HQ, format, licence, duplicates; Reset clears them all.
import { IMAGE_FORMATS, LABEL_STATES } from '../../../src-shared/model';
import { formatLabelState } from '../../components/format';
import { useLibraryStore, type LibraryFilters } from '../../state/library-store';
import { LicenseFilter } from './license-filter';
import { TaxonFilter } from './taxon-filter';

const SORTS: LibraryFilters['sort'][] = ['created', 'quality', 'taxon', 'size', 'resolution'];

/** The direction in words for the sort it applies to, e.g. "A→Z" for taxa, "newest first" for created. */
function orderText(sort: NonNullable<LibraryFilters['sort']>, order: 'asc' | 'desc'): string {
  if (sort === 'taxon') return order === 'asc' ? 'A→Z' : 'Z→A';
  if (sort === 'created') return order === 'asc' ? '↑ oldest first' : '↓ newest first';
  return order === 'asc' ? '↑ lowest first' : '↓ highest first';
}

function triState(value: boolean | undefined): string {
  return value === undefined ? '' : value ? 'yes' : 'no';
}
function fromTriState(value: string): boolean | undefined {
  return value === '' ? undefined : value === 'yes';
}
function numberOrUndefined(value: string): number | undefined {
  return value === '' || Number.isNaN(Number(value)) ? undefined : Math.max(0, Math.min(100, Number(value)));
}

export function FilterBar() {
  const filters = useLibraryStore((s) => s.filters);
  const setFilter = useLibraryStore((s) => s.setFilter);
  const setSort = useLibraryStore((s) => s.setSort);
  const reset = useLibraryStore((s) => s.resetFilters);
  return (
    <form className="filter-bar" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Label
        <select
          aria-label="Label state"
          value={filters.labelState ?? ''}
          onChange={(e) => setFilter('labelState', (e.target.value || undefined) as LibraryFilters['labelState'])}
        >
          <option value="">any</option>
          {[...LABEL_STATES, 'unlabelled' as const].map((s) => (
            <option key={s} value={s}>
              {formatLabelState(s === 'unlabelled' ? null : s)}
            </option>
          ))}
        </select>
      </label>
      <TaxonFilter />
      <label>
        Quality
        <input
          aria-label="Minimum quality"
          type="number"
          min={0}
          max={100}
          className="narrow"
          value={filters.minQuality ?? ''}
          onChange={(e) => setFilter('minQuality', numberOrUndefined(e.target.value))}
        />
        –
        <input
          aria-label="Maximum quality"
          type="number"
          min={0}
          max={100}
          className="narrow"
          value={filters.maxQuality ?? ''}
          onChange={(e) => setFilter('maxQuality', numberOrUndefined(e.target.value))}
        />
      </label>
      <label>
        HQ
        <select aria-label="HQ" value={triState(filters.hq)} onChange={(e) => setFilter('hq', fromTriState(e.target.value))}>
          <option value="">any</option>
          <option value="yes">HQ only</option>
          <option value="no">not HQ</option>
        </select>
      </label>
      <label>
        Format
        <select
          aria-label="Format"
          value={filters.format ?? ''}
          onChange={(e) => setFilter('format', (e.target.value || undefined) as LibraryFilters['format'])}
        >
          <option value="">any</option>
          {IMAGE_FORMATS.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
      </label>
      <LicenseFilter />
      <label>
        Duplicates
        <select
          aria-label="Has duplicates"
          value={triState(filters.hasDuplicates)}
          onChange={(e) => setFilter('hasDuplicates', fromTriState(e.target.value))}
        >
          <option value="">any</option>
          <option value="yes">in a cluster</option>
          <option value="no">unique</option>
        </select>
      </label>
      <label>
        Sort
        <select aria-label="Sort" value={filters.sort} onChange={(e) => setSort(e.target.value as LibraryFilters['sort'])}>
          {SORTS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <button type="button" aria-label="Sort order" onClick={() => setFilter('order', filters.order === 'asc' ? 'desc' : 'asc')}>
          {orderText(filters.sort ?? 'created', filters.order ?? 'desc')}
        </button>
      </label>
      <button type="button" onClick={reset}>
        Reset
      </button>
    </form>
  );
}
