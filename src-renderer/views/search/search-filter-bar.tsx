// The search filters of the CLI in the UI: label state, taxon (from the catalogue's taxa), minimum quality, HQ.
import { useState } from 'react';
import { LABEL_STATES, type LabelState } from '../../../src-shared/model';
import { useApi } from '../../app/api-context';
import { formatLabelState } from '../../components/format';
import type { SearchFilters } from './search-request';

function hqValue(hq: boolean | undefined): string {
  return hq === undefined ? '' : hq ? 'yes' : 'no';
}

export function SearchFilterBar({ filters, onChange }: { filters: SearchFilters; onChange: (filters: SearchFilters) => void }) {
  const taxa = useApi('labels.taxa', {});
  // The taxon is typed: it applies on Enter or when the field is left, not on every letter.
  const [taxon, setTaxon] = useState(filters.taxon ?? '');
  const commitTaxon = () => {
    const value = taxon.trim() || undefined;
    if (value !== filters.taxon) onChange({ ...filters, taxon: value });
  };
  return (
    <form
      className="filter-bar search-filters"
      aria-label="Search filters"
      onSubmit={(e) => {
        e.preventDefault();
        commitTaxon();
      }}
    >
      <label>
        Label
        <select
          aria-label="Label state"
          value={filters.labelState ?? ''}
          onChange={(e) => onChange({ ...filters, labelState: (e.target.value || undefined) as LabelState | undefined })}
        >
          <option value="">any</option>
          {LABEL_STATES.map((s) => (
            <option key={s} value={s}>
              {formatLabelState(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Taxon
        <input
          aria-label="Taxon"
          type="search"
          list="search-taxa"
          placeholder="e.g. Amanita"
          value={taxon}
          onChange={(e) => setTaxon(e.target.value)}
          // Enter applies it (the form has two fields, so Enter would not submit it by itself).
          onKeyDown={(e) => e.key === 'Enter' && commitTaxon()}
          onBlur={commitTaxon}
        />
        <datalist id="search-taxa">
          {taxa.data?.map((t) => (
            <option key={t.taxon} value={t.taxon} />
          ))}
        </datalist>
      </label>
      <label>
        Quality at least
        <input
          aria-label="Minimum quality"
          type="number"
          min={0}
          max={100}
          className="narrow"
          value={filters.minQuality ?? ''}
          onChange={(e) => {
            const n = e.target.value === '' ? undefined : Math.max(0, Math.min(100, Number(e.target.value)));
            onChange({ ...filters, minQuality: n === undefined || Number.isNaN(n) ? undefined : n });
          }}
        />
      </label>
      <label>
        HQ
        <select
          aria-label="HQ"
          value={hqValue(filters.hq)}
          onChange={(e) => onChange({ ...filters, hq: e.target.value === '' ? undefined : e.target.value === 'yes' })}
        >
          <option value="">any</option>
          <option value="yes">HQ only</option>
          <option value="no">not HQ</option>
        </select>
      </label>
    </form>
  );
}
