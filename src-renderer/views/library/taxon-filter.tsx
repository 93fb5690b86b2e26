// The taxon filter's text field: applied on Enter or leaving the field, and emptied whenever the filter is cleared.
import { useState } from 'react';
import { useLibraryStore } from '../../state/library-store';

export function TaxonFilter() {
  const taxon = useLibraryStore((s) => s.filters.taxon);
  const setFilter = useLibraryStore((s) => s.setFilter);
  const [draft, setDraft] = useState(taxon ?? '');
  // Reset (or any other change of the filter) must also change what the field shows: adjust during render.
  const [shown, setShown] = useState(taxon);
  if (shown !== taxon) {
    setShown(taxon);
    setDraft(taxon ?? '');
  }
  const apply = () => setFilter('taxon', draft.trim() || undefined);
  return (
    <label>
      Taxon
      <input
        aria-label="Taxon"
        type="search"
        placeholder="e.g. Amanita"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && apply()}
        onBlur={apply}
      />
    </label>
  );
}
